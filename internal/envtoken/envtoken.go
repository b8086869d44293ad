// Package envtoken finds environment names and aliases standing as whole
// words inside values. A token counts only when it is delimited on both
// sides by a byte that is not an ASCII letter or digit (or by the start or
// end of the value) and matches case-insensitively, so "orders-staging",
// "DB-STAGING.internal" and "staging_dlq" hold the token staging, while
// "products" does not hold prod and "device" does not hold dev. The parser
// uses it to note which environments a secret names without keeping the
// secret, and parity to find one environment's name in another's values.
package envtoken

import "strings"

// Find returns the tokens (given in lower case) that occur in s as whole
// words, in the order given; nil when none does.
func Find(s string, tokens []string) []string {
	var found []string
	var lower string
	for _, t := range tokens {
		if t == "" || len(t) > len(s) {
			continue
		}
		if lower == "" {
			lower = Lower(s)
		}
		if has(lower, t) {
			found = append(found, t)
		}
	}
	return found
}

// Has reports whether token (lower case) occurs in s as a whole word.
func Has(s, token string) bool {
	return token != "" && len(token) <= len(s) && has(Lower(s), token)
}

// has is Has on a value already in lower case.
func has(lower, token string) bool {
	for from := 0; from+len(token) <= len(lower); {
		i := strings.Index(lower[from:], token)
		if i < 0 {
			return false
		}
		start := from + i
		end := start + len(token)
		if (start == 0 || !IsWordByte(lower[start-1])) && (end == len(lower) || !IsWordByte(lower[end])) {
			return true
		}
		from = start + 1
	}
	return false
}

// IsWordByte reports whether c continues a word: an ASCII letter or digit.
func IsWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// Lower lowers ASCII letters only, byte for byte, so that offsets in the
// result are offsets in s.
func Lower(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if b[j] >= 'A' && b[j] <= 'Z' {
					b[j] += 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}
