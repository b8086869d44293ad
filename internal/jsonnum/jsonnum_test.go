package jsonnum

import (
	"encoding/json"
	"math/big"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestCanonical(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{"0", "0", true},
		{"-0", "0", true},
		{"-0.0e-7", "0", true},
		{"100", "1e2", true},
		{"1e2", "1e2", true},
		{"1E+2", "1e2", true},
		{"100.0", "1e2", true},
		{"0.3", "3e-1", true},
		{"0.30000000000000000000001", "30000000000000000000001e-23", true},
		{"-12.5e-3", "-125e-4", true},
		{"18446744073709551617", "18446744073709551617e0", true},
		{"1e100000000", "1e100000000", true},
		{"10e99999999", "1e100000000", true},
		{"1e-00000000000000000000005", "1e-5", true},
		// Exponents beyond int64: decimal arithmetic, exact.
		{"1e1000000000000000000", "1e1000000000000000000", true},
		{"100e999999999999999999998", "1e1000000000000000000000", true},
		{"0.01e1000000000000000002", "1e1000000000000000000", true},
		{"1e-1000000000000000000", "1e-1000000000000000000", true},
		{"0.01e-999999999999999998", "1e-1000000000000000000", true},
		{"10e-1000000000000000000", "1e-999999999999999999", true},
		{"1e9999999999999999999", "1e9999999999999999999", true},
		{"1000e9999999999999999999", "1e10000000000000000002", true},
		// Not numbers.
		{"", "", false}, {"-", "", false}, {"01", "", false}, {"1.", "", false},
		{".5", "", false}, {"1e", "", false}, {"+1", "", false}, {"1x", "", false}, {"NaN", "", false},
	} {
		got, ok := Canonical(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("Canonical(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestEqual(t *testing.T) {
	for _, tc := range []struct {
		x, y string
		want bool
	}{
		{"18446744073709551617", "18446744073709551616", false},
		{"0.30000000000000000000001", "0.3", false},
		{"1e2", "100", true},
		{"100", "100.0", true},
		{"100", "100", true},
		{"-0", "0", true},
		{"-0.0", "0", true},
		{"-1", "1", false},
		{"5432", "5433", false},
		{"1e100000000", "10e99999999", true},
		{"1e100000000", "2e100000000", false},
		{"1e-100000000", "0", false},
		{"1e1000000000000000000", "1", false},
		{"1e1000000000000000000", "10e999999999999999999", true},
		{"1x", "1x", true}, // not a number: equal to itself only
		{"1x", "1", false},
	} {
		if got := Equal(tc.x, tc.y); got != tc.want {
			t.Errorf("Equal(%q, %q) = %v, want %v", tc.x, tc.y, got, tc.want)
		}
		if got := Equal(tc.y, tc.x); got != tc.want {
			t.Errorf("Equal(%q, %q) = %v, want %v", tc.y, tc.x, got, tc.want)
		}
	}
}

// TestHugeCostsLinear: a number of 10 MB of digits, or with an exponent of
// 10^1000000 digits, is compared in time linear in its text.
func TestHugeCostsLinear(t *testing.T) {
	long := "1" + strings.Repeat("0", 10<<20)
	hugeExp := "1e" + strings.Repeat("9", 1<<20)
	start := time.Now()
	if !Equal(long, "1e"+strconv.Itoa(10<<20)) {
		t.Error("10 MB integer differs from its exponent form")
	}
	if Equal(hugeExp, "1e"+strings.Repeat("9", 1<<20-1)+"8") {
		t.Error("huge exponents that differ in the last digit compare equal")
	}
	if !Equal(hugeExp, "10e"+strings.Repeat("9", 1<<20-1)+"8") {
		t.Error("huge exponents that agree compare unequal")
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %s", d)
	}
}

func TestRegoSafe(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want bool
	}{
		{"1", true}, {"18446744073709551617", true}, {"1.5e300", true}, {"1e-24990", true},
		{"1e25000", false}, {"1e100000000", false}, {"1e-100000000", false},
		{"1e1000000000000000000", false}, {"1e+0000000000000000000000000000001", true},
	} {
		if got := RegoSafe(tc.in); got != tc.want {
			t.Errorf("RegoSafe(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

func TestRegoValue(t *testing.T) {
	safe := map[string]any{"a": []any{json.Number("1"), "x"}, "b": json.Number("2e10")}
	if got := RegoValue(safe); reflect.ValueOf(got).Pointer() != reflect.ValueOf(safe).Pointer() {
		t.Error("a value without unsafe numbers was copied")
	}
	in := map[string]any{"a": []any{json.Number("1"), json.Number("1e100000000")}, "b": json.Number("2")}
	got := RegoValue(in)
	want := map[string]any{"a": []any{json.Number("1"), "1e100000000"}, "b": json.Number("2")}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("RegoValue = %#v, want %#v", got, want)
	}
	if in["a"].([]any)[1] != json.Number("1e100000000") {
		t.Error("RegoValue changed its input")
	}
}

// FuzzCanonical checks Canonical and Equal against the JSON number grammar
// and, where exponents are small enough for exact rational arithmetic,
// against math/big: Canonical accepts exactly the JSON number literals, is
// idempotent, and two numbers are Equal exactly when they are the same
// rational number.
func FuzzCanonical(f *testing.F) {
	for _, s := range [][2]string{
		{"100", "1e2"}, {"0.3", "0.30000000000000000000001"}, {"-0", "0.0"},
		{"18446744073709551617", "18446744073709551616"}, {"1e100000000", "10e99999999"},
		{"-12.5e-3", "-0.0125"}, {"01", "1"}, {"1.", "1"}, {"+1", "1"},
	} {
		f.Add(s[0], s[1])
	}
	literal := regexp.MustCompile(`^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$`)
	smallExp := regexp.MustCompile(`^[^eE]{0,60}([eE][+-]?0*[0-9]{1,3})?$`)
	f.Fuzz(func(t *testing.T, a, b string) {
		ca, ok := Canonical(a)
		if ok != literal.MatchString(a) {
			t.Fatalf("Canonical(%q) ok=%v, but the grammar says %v", a, ok, !ok)
		}
		if !ok {
			return
		}
		if again, ok := Canonical(ca); !ok || again != ca {
			t.Fatalf("Canonical(%q) = %q, whose canonical form is %q", a, ca, again)
		}
		if !literal.MatchString(b) {
			return
		}
		eq := Equal(a, b)
		if eq != Equal(b, a) {
			t.Fatalf("Equal(%q, %q) is not symmetric", a, b)
		}
		if smallExp.MatchString(a) && smallExp.MatchString(b) {
			ra, _ := new(big.Rat).SetString(a)
			rb, _ := new(big.Rat).SetString(b)
			if ra != nil && rb != nil && eq != (ra.Cmp(rb) == 0) {
				t.Fatalf("Equal(%q, %q) = %v, but they are %v and %v", a, b, eq, ra, rb)
			}
		}
	})
}
