package config

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/lockstep-iac/lockstep/internal/suggest"
)

func envNames(names map[string]envEntry) []string {
	return slices.Collect(maps.Keys(names))
}

// didYouMean returns a " Did you mean "x"?" sentence for the closest
// candidate, or a list of the candidates when none is close, so the user is
// never left guessing what would have been accepted.
func didYouMean(given string, candidates []string) string {
	if len(given) > 200 {
		return "" // not a typo of any short id; spare the quadratic work
	}
	if len(candidates) == 0 {
		return " None are known."
	}
	if best, near := suggest.Closest(given, candidates); near {
		return fmt.Sprintf(" Did you mean %q?", best)
	}
	sorted := slices.Sorted(slices.Values(candidates))
	if len(sorted) > 10 {
		return fmt.Sprintf(" Known: %s, ….", strings.Join(quoteAll(sorted[:10]), ", "))
	}
	return fmt.Sprintf(" Known: %s.", strings.Join(quoteAll(sorted), ", "))
}

func quoteAll(list []string) []string {
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = fmt.Sprintf("%q", s)
	}
	return out
}
