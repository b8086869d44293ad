package config

import (
	"fmt"
	"maps"
	"slices"
	"strings"
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
	best, bestDist := "", -1
	for _, c := range candidates {
		dist := levenshtein(strings.ToLower(given), strings.ToLower(c))
		if bestDist < 0 || dist < bestDist || (dist == bestDist && c < best) {
			best, bestDist = c, dist
		}
	}
	switch {
	case bestDist < 0:
		return " None are known."
	case bestDist <= 2 || bestDist <= len(given)/3:
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

func levenshtein(a, b string) int {
	ar, br := []rune(a), []rune(b)
	prev := make([]int, len(br)+1)
	cur := make([]int, len(br)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ar); i++ {
		cur[0] = i
		for j := 1; j <= len(br); j++ {
			cost := 1
			if ar[i-1] == br[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(br)]
}
