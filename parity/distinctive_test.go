package parity

import "testing"

// TestDistinctive: an identifying value is distinctive when it is long
// enough and neither a plain word nor a number, wherever in it the
// character that says so comes.
func TestDistinctive(t *testing.T) {
	for s, want := range map[string]bool{
		"i-0123456789abcdef0":              true,
		"arn:aws:iam::123456789012:role/x": true,
		"sg-1234":                          false, // too short
		"production":                       false, // a word
		"ProductionDatabase":               false,
		"1234567890":                       false, // a number
		"-1.5e+300":                        false,
		"12345678e":                        true, // number characters, no number
		"abcdefgh1":                        true, // the digit last
		"1abcdefgh":                        true, // the digit first
		"abcd-efgh":                        true,
		"--------":                         true,
	} {
		if got := distinctive(s); got != want {
			t.Errorf("distinctive(%q) = %v, want %v", s, got, want)
		}
	}
}
