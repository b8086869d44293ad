package parser

import (
	"encoding/json"
	"testing"
)

// TestSensitiveHashNumbers checks that a hidden collection hashes its
// numbers by value, as parity compares them: the same secret object
// written 1e2 in one environment and 100 in another is one shared secret,
// and a real difference in a number is not.
func TestSensitiveHashNumbers(t *testing.T) {
	r := newRedactor([]byte("key"), nil)
	hash := func(n string) string {
		return r.sensitive(map[string]any{"password": "correct-horse-battery", "port": json.Number(n)}).Hash
	}
	for _, tc := range []struct {
		a, b string
		same bool
	}{
		{"100", "1e2", true},
		{"100", "100.0", true},
		{"-0", "0", true},
		{"18446744073709551617", "18446744073709551616", false},
		{"0.30000000000000000000001", "0.3", false},
	} {
		if got := hash(tc.a) == hash(tc.b); got != tc.same {
			t.Errorf("%s and %s hash alike: %v, want %v", tc.a, tc.b, got, tc.same)
		}
	}
}

// TestCovered: a change's marks teach nothing new only when prior_state's
// marks already cover every one of them.
func TestCovered(t *testing.T) {
	obj := func(s string) any {
		var v any
		if err := json.Unmarshal([]byte(s), &v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	for _, tc := range []struct {
		m, p string
		want bool
	}{
		{`{}`, `{}`, true},
		{`{"pw":true}`, `{"pw":true}`, true},
		{`{"pw":true}`, `{}`, false},
		{`{"pw":true}`, `true`, true},
		{`{"tags":{}}`, `{"pw":true}`, true},
		{`{"a":[{},{"k":true}]}`, `{"a":[{},{"k":true}]}`, true},
		{`{"a":[{},{"k":true}]}`, `{"a":[{}]}`, false},
		{`{"a":[true]}`, `{"a":true}`, true},
		{`true`, `{"pw":true}`, false},
	} {
		if got := covered(obj(tc.m), obj(tc.p)); got != tc.want {
			t.Errorf("covered(%s, %s) = %v, want %v", tc.m, tc.p, got, tc.want)
		}
	}
}
