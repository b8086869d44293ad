// Package envtoken finds environment names and aliases standing as whole
// words inside values. A token counts only when it is delimited on both
// sides by a byte that is not an ASCII letter or digit (or by the start or
// end of the value) and matches case-insensitively, so "orders-staging",
// "DB-STAGING.internal" and "staging_dlq" hold the token staging, while
// "products" does not hold prod and "device" does not hold dev. The parser
// uses it to note which environments a secret names without keeping the
// secret, and parity to find one environment's name in another's values.
package envtoken

// Find returns the tokens (given in lower case) that occur in s as whole
// words, in the order given; nil when none does. It allocates only for
// what it returns: it runs on every string of every resource.
func Find(s string, tokens []string) []string {
	var found []string
	for _, t := range tokens {
		if Has(s, t) {
			found = append(found, t)
		}
	}
	return found
}

// Has reports whether token (lower case) occurs in s as a whole word,
// comparing ASCII letters in any case.
func Has(s, token string) bool {
	n := len(token)
	if n == 0 {
		return false
	}
	first := token[0]
	for i := 0; i+n <= len(s); i++ {
		if lower(s[i]) != first || i > 0 && IsWordByte(s[i-1]) {
			continue
		}
		j := 1
		for j < n && lower(s[i+j]) == token[j] {
			j++
		}
		if j == n && (i+n == len(s) || !IsWordByte(s[i+n])) {
			return true
		}
	}
	return false
}

func lower(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
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
