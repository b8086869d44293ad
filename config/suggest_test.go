package config

import (
	"strings"
	"testing"
)

func TestDidYouMean(t *testing.T) {
	many := []string{"k", "j", "i", "h", "g", "f", "e", "d", "c", "b", "a"}
	tests := []struct {
		given      string
		candidates []string
		want       string
	}{
		{"promotion-ordr", []string{"version-skew", "promotion-order"}, ` Did you mean "promotion-order"?`},
		{"PROD", []string{"staging", "prod"}, ` Did you mean "prod"?`},
		// Ties go to the first in sorted order, whatever the input order.
		{"ab", []string{"ac", "aa"}, ` Did you mean "aa"?`},
		{"zzzzzzzz", []string{"staging", "prod"}, ` Known: "prod", "staging".`},
		{"zzzzzzzz", many, ` Known: "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", ….`},
		{"x", nil, " None are known."},
		{strings.Repeat("x", 201), []string{"x"}, ""},
	}
	for _, tt := range tests {
		if got := didYouMean(tt.given, tt.candidates); got != tt.want {
			t.Errorf("didYouMean(%.20q, %q) = %q, want %q", tt.given, tt.candidates, got, tt.want)
		}
	}
	if many[0] != "k" {
		t.Error("didYouMean sorted its caller's slice")
	}
}
