// Package suggest finds the name a person most likely meant when they
// mistyped one (a flag, a rule id, an environment), so every "unknown X"
// error can say "did you mean Y?" the same way, by the same distance.
package suggest

import "strings"

// Closest returns the candidate nearest to given (case-insensitive edit
// distance, ties to the smaller string), and whether it is near enough to
// be a typo of it: at most 2 edits, or a third of given's length.
func Closest(given string, candidates []string) (string, bool) {
	if len(given) > 200 {
		return "", false // not a typo of any short name; spare the quadratic work
	}
	best, bestDist := "", -1
	for _, c := range candidates {
		d := Distance(strings.ToLower(given), strings.ToLower(c))
		if bestDist < 0 || d < bestDist || (d == bestDist && c < best) {
			best, bestDist = c, d
		}
	}
	return best, bestDist >= 0 && (bestDist <= 2 || bestDist <= len(given)/3)
}

// Distance is the Levenshtein distance between a and b, in runes.
func Distance(a, b string) int {
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
