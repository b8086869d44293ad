package parity

import (
	"encoding/json"
	"sort"
	"strconv"
	"strings"

	"github.com/lockstep-iac/lockstep/internal/jsonnum"
	"github.com/lockstep-iac/lockstep/report"
	"github.com/lockstep-iac/lockstep/snapshot"
)

// equal compares two leaves from different environments after
// normalisation. Two sensitive values never count as a divergence: different
// secrets per environment are expected.
func (c *comparer) equal(a, b side, idKey bool) bool {
	ea, eb := isEmpty(a.v), isEmpty(b.v)
	if ea || eb {
		return ea && eb
	}
	_, sa := a.v.(snapshot.Sensitive)
	_, sb := b.v.(snapshot.Sensitive)
	if sa || sb {
		return sa && sb
	}
	if x, ok := a.v.(string); ok {
		if y, ok := b.v.(string); ok {
			if x == y {
				return true
			}
			nx, ny := c.b.envs[a.env].normalize(x), c.b.envs[b.env].normalize(y)
			if idKey && !(isRef(nx) && isRef(ny)) {
				return true
			}
			return nx == ny
		}
	}
	if x, ok := a.v.(json.Number); ok {
		if y, ok := b.v.(json.Number); ok {
			return jsonnum.Equal(string(x), string(y))
		}
	}
	return c.canonical(a) == c.canonical(b)
}

// isIdentifierKey reports whether the attribute at path (ignoring list
// indexes) is named like a reference to another object's identifier.
func isIdentifierKey(path []string) bool {
	for i := len(path) - 1; i >= 0; i-- {
		step := path[i]
		if isInteger(step) {
			continue
		}
		for _, suffix := range identifierSuffixes {
			if strings.HasSuffix(step, suffix) {
				return true
			}
		}
		return false
	}
	return false
}

// isInteger is strconv.Atoi's test without its allocation on failure:
// it runs once per leaf.
func isInteger(s string) bool {
	d := s
	if d != "" && (d[0] == '+' || d[0] == '-') {
		d = d[1:]
	}
	if d == "" {
		return false
	}
	for i := 0; i < len(d); i++ {
		if d[i] < '0' || d[i] > '9' {
			return false
		}
	}
	if len(strings.TrimLeft(d, "0")) <= 18 {
		return true
	}
	_, err := strconv.Atoi(s) // only the range is left to check
	return err == nil
}

func isRef(s string) bool { return strings.HasPrefix(s, "${ref:") }

// canonical renders a leaf (possibly a container of mismatched shape) in a
// normalised, comparable form.
func (c *comparer) canonical(sd side) string {
	var sb strings.Builder
	c.writeCanonical(&sb, sd.env, sd.v)
	return sb.String()
}

func (c *comparer) writeCanonical(sb *strings.Builder, env int, v any) {
	switch t := v.(type) {
	case nil:
		sb.WriteString("null")
	case string:
		sb.WriteString(strconv.Quote(c.b.envs[env].normalize(t)))
	case json.Number:
		if n, ok := jsonnum.Canonical(string(t)); ok {
			sb.WriteString(n)
		} else {
			sb.WriteString(strconv.Quote(string(t)))
		}
	case float64:
		sb.WriteString(strconv.FormatFloat(t, 'g', -1, 64))
	case bool:
		sb.WriteString(strconv.FormatBool(t))
	case snapshot.Sensitive:
		sb.WriteString(report.SensitiveText)
	case []any:
		sb.WriteByte('[')
		for i, e := range t {
			if i > 0 {
				sb.WriteByte(',')
			}
			c.writeCanonical(sb, env, e)
		}
		sb.WriteByte(']')
	case map[string]any, *snapshot.Attributes:
		keys := appendNames(nil, t)
		sort.Strings(keys)
		sb.WriteByte('{')
		for i, k := range keys {
			if i > 0 {
				sb.WriteByte(',')
			}
			sb.WriteString(strconv.Quote(k))
			sb.WriteByte(':')
			c.writeCanonical(sb, env, snapshot.Member(t, k))
		}
		sb.WriteByte('}')
	default:
		// Parsers only produce the JSON types above; anything else is
		// rendered in full rather than risk two values comparing equal.
		b, _ := json.Marshal(t)
		sb.Write(b)
	}
}
