// Package jsonnum compares JSON numbers exactly, by their decimal text, and
// tells which numbers the policy engine can hold.
//
// Terraform's numbers are arbitrary-precision decimals, and the inputs keep
// them as json.Number text. Converting them to float64 makes
// 18446744073709551617 equal 18446744073709551616; converting them to
// big.Float or big.Rat costs time and memory that grow with the exponent, so
// an exponent of 1e18 would hang. Canonical text costs time linear in the
// text and nothing in the exponent.
package jsonnum

import (
	"encoding/json"
	"strconv"
	"strings"
)

// Equal reports whether two JSON number literals denote the same value:
// 1e2, 100 and 100.0 are equal, as are 0 and -0. Text that is not a JSON
// number equals only itself.
func Equal(x, y string) bool {
	if x == y {
		return true
	}
	if plainInteger(x) && plainInteger(y) {
		return false // one spelling each: the texts would be equal
	}
	cx, okx := Canonical(x)
	cy, oky := Canonical(y)
	return okx && oky && cx == cy
}

// plainInteger reports whether s is an integer without leading zeros, sign
// of zero or exponent: the only spelling of its value.
func plainInteger(s string) bool {
	d := strings.TrimPrefix(s, "-")
	if d == "" || d[0] == '0' && (len(d) > 1 || len(s) > 1) {
		return false
	}
	for i := 0; i < len(d); i++ {
		if d[i] < '0' || d[i] > '9' {
			return false
		}
	}
	return true
}

// Canonical returns the one spelling of a JSON number literal's value:
// "0" for zero, otherwise an optional "-", the significant digits without
// leading or trailing zeros, "e" and the decimal exponent (so 100, 1e2 and
// 100.0 all give "1e2", and 0.3 gives "3e-1"). The second result is false
// when s is not a JSON number literal. The exponent is computed in decimal
// text, so an exponent of any size costs time linear in its digits.
func Canonical(s string) (string, bool) {
	neg, intPart, frac, exp, ok := split(s)
	if !ok {
		return "", false
	}
	digits := intPart + frac
	digits = strings.TrimLeft(digits, "0")
	if digits == "" {
		return "0", true
	}
	trimmed := strings.TrimRight(digits, "0")
	// value = digits * 10^(exp - len(frac)) = trimmed * 10^(exp - len(frac) + zeros)
	shift := int64(len(digits)-len(trimmed)) - int64(len(frac))
	e := addDecimal(exp, shift)
	var b strings.Builder
	b.Grow(len(trimmed) + len(e) + 2)
	if neg {
		b.WriteByte('-')
	}
	b.WriteString(trimmed)
	b.WriteByte('e')
	b.WriteString(e)
	return b.String(), true
}

// split parses the JSON number grammar: -?int(.frac)?([eE][+-]?exp)?. exp is
// returned as signed decimal text without leading zeros ("0" when absent).
func split(s string) (neg bool, intPart, frac, exp string, ok bool) {
	i := 0
	if i < len(s) && s[i] == '-' {
		neg = true
		i++
	}
	start := i
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	intPart = s[start:i]
	if intPart == "" || len(intPart) > 1 && intPart[0] == '0' {
		return false, "", "", "", false
	}
	if i < len(s) && s[i] == '.' {
		i++
		start = i
		for i < len(s) && isDigit(s[i]) {
			i++
		}
		frac = s[start:i]
		if frac == "" {
			return false, "", "", "", false
		}
	}
	exp = "0"
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		sign := ""
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			if s[i] == '-' {
				sign = "-"
			}
			i++
		}
		start = i
		for i < len(s) && isDigit(s[i]) {
			i++
		}
		if start == i {
			return false, "", "", "", false
		}
		if e := strings.TrimLeft(s[start:i], "0"); e != "" {
			exp = sign + e
		}
	}
	if i != len(s) {
		return false, "", "", "", false
	}
	return neg, intPart, frac, exp, true
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// addDecimal adds k to the signed decimal integer text e (no leading
// zeros) and returns the result in the same form.
func addDecimal(e string, k int64) string {
	if k == 0 {
		return e
	}
	if len(strings.TrimPrefix(e, "-")) <= 18 {
		n, _ := strconv.ParseInt(e, 10, 64)
		// |n| < 1e18 and |k| is bounded by the input's length: no overflow.
		return strconv.FormatInt(n+k, 10)
	}
	// |e| >= 1e18 > |k|: the sign stays e's, the magnitude moves by |k|.
	neg := e[0] == '-'
	mag := []byte(strings.TrimPrefix(e, "-"))
	up := (k > 0) != neg
	if k < 0 {
		k = -k
	}
	carry := k
	for i := len(mag) - 1; i >= 0 && carry != 0; i-- {
		d := int64(mag[i] - '0')
		if up {
			d += carry % 10
			carry /= 10
			if d >= 10 {
				d -= 10
				carry++
			}
		} else {
			d -= carry % 10
			carry /= 10
			if d < 0 {
				d += 10
				carry++
			}
		}
		mag[i] = byte('0' + d)
	}
	out := strings.TrimLeft(string(mag), "0")
	if carry != 0 { // only when adding: a new leading digit
		out = strconv.FormatInt(carry, 10) + string(mag)
	}
	if neg {
		return "-" + out
	}
	return out
}

// maxRegoExponent is OPA's bound on a number it converts without parsing
// it as a big.Float: the digits before the exponent marker plus the
// exponent's magnitude (ast.NumberChecked; 2^100000 is about 10^30103, and
// OPA counts 4 bits a digit). Beyond it OPA either refuses the number
// ("number too big") or panics when it converts it lazily.
const maxRegoExponent = 25000

// RegoSafe reports whether the policy engine can hold the number s as a
// number: it has no exponent, or a small one.
func RegoSafe(s string) bool {
	i := strings.IndexAny(s, "eE")
	if i < 0 {
		return true
	}
	e := strings.TrimLeft(strings.TrimLeft(s[i+1:], "+-"), "0")
	if len(e) > 9 {
		return false
	}
	n, err := strconv.Atoi(e)
	return err == nil && i+n <= maxRegoExponent
}

// RegoValue returns v with every number the policy engine cannot hold
// replaced by its text as a string, so that such a number reaches a rule as
// "1e100000000" instead of failing or crashing the evaluation. v itself is
// returned when it holds no such number, as it nearly always does; otherwise
// only the containers on the way to one are copied.
func RegoValue(v any) any {
	out, _ := regoValue(v)
	return out
}

func regoValue(v any) (any, bool) {
	switch t := v.(type) {
	case json.Number:
		if !RegoSafe(string(t)) {
			return string(t), true
		}
	case map[string]any:
		var cp map[string]any
		for k, e := range t {
			if ne, changed := regoValue(e); changed {
				if cp == nil {
					cp = make(map[string]any, len(t))
					for k2, e2 := range t {
						cp[k2] = e2
					}
				}
				cp[k] = ne
			}
		}
		if cp != nil {
			return cp, true
		}
	case []any:
		var cp []any
		for i, e := range t {
			if ne, changed := regoValue(e); changed {
				if cp == nil {
					cp = append([]any(nil), t...)
				}
				cp[i] = ne
			}
		}
		if cp != nil {
			return cp, true
		}
	}
	return v, false
}
