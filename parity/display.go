package parity

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"

	"github.com/lockstep-iac/lockstep/internal/jsonnum"
	"github.com/lockstep-iac/lockstep/report"
	"github.com/lockstep-iac/lockstep/snapshot"
)

// UnknownText is how a value known only after apply is shown.
const UnknownText = "(known after apply)"

// Bounds on the detail the facts carry, so that memory and every output
// stay proportional to what a reader can use, not to the input: a
// million-element list that differs everywhere, or a 100 MB string, gives a
// finding of a few kilobytes. Real plans stay far below them; docs/input.md
// documents how a cut shows.
const (
	// MaxPaths bounds the attribute paths listed per resource, the
	// shared-secret paths per resource, the paths of a promotion and the
	// attributes of a drift entry: the first MaxPaths in walk order (map
	// keys sorted, list elements by index); the rest are counted in the
	// matching *_omitted field.
	MaxPaths = 100
	// MaxValueBytes bounds a string (or a number's text) in a value shown:
	// a longer one keeps its first MaxValueBytes bytes, cut at a character
	// boundary, followed by "… (N bytes)" with its full length.
	MaxValueBytes = report.MaxTextBytes
	// MaxValueElements bounds the list elements and map keys shown in one
	// value, all levels together: a list keeps its first elements and ends
	// with "… (N more elements)"; a map keeps its first keys in sorted
	// order and gets the key "…" with "(N more keys)".
	MaxValueElements = 100
)

// display returns a value safe to show: secrets become "(sensitive)", long
// strings and big collections are shortened (MaxValueBytes,
// MaxValueElements), and a number the policy engine cannot hold becomes
// its text (jsonnum.RegoSafe).
func display(v any) any {
	budget := MaxValueElements
	return displayValue(v, &budget)
}

func displayValue(v any, budget *int) any {
	switch t := v.(type) {
	case snapshot.Sensitive:
		return report.SensitiveText
	case string:
		return shorten(t)
	case json.Number:
		if len(t) > MaxValueBytes || !jsonnum.RegoSafe(string(t)) {
			return shorten(string(t))
		}
		return t
	case *snapshot.Attributes:
		return displayValue(t.Map(), budget)
	case map[string]any:
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		out := make(map[string]any, min(len(t), *budget+1))
		for i, k := range keys {
			if *budget <= 0 {
				out["…"] = fmt.Sprintf("(%d more keys)", len(keys)-i)
				break
			}
			*budget--
			out[shorten(k)] = displayValue(t[k], budget)
		}
		return out
	case []any:
		out := make([]any, 0, min(len(t), *budget+1))
		for i, e := range t {
			if *budget <= 0 {
				out = append(out, fmt.Sprintf("… (%d more elements)", len(t)-i))
				break
			}
			*budget--
			out = append(out, displayValue(e, budget))
		}
		return out
	}
	return v
}

// shorten cuts a string longer than MaxValueBytes.
func shorten(s string) string { return report.Shorten(s, MaxValueBytes) }

// lookup finds the value at path, and whether it is unknown.
func lookup(v any, unknown any, path []string) (any, bool) {
	for _, step := range path {
		if b, ok := unknown.(bool); ok && b {
			return nil, true
		}
		switch t := v.(type) {
		case *snapshot.Attributes:
			v = t.Value(step)
			unknown = maskChild(unknown, step)
		case map[string]any:
			v = t[step]
			unknown = maskChild(unknown, step)
		case []any:
			i, err := strconv.Atoi(step)
			if err != nil || i < 0 || i >= len(t) {
				return nil, false
			}
			v = t[i]
			unknown = maskIndex(unknown, i)
		default:
			return nil, false
		}
	}
	if b, ok := unknown.(bool); ok && b {
		return nil, true
	}
	return v, false
}
