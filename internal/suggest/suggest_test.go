package suggest

import (
	"strings"
	"testing"
)

func TestDistance(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"abc", "", 3},
		{"kitten", "sitting", 3},
		{"é", "e", 1}, // runes, not bytes
		{"flaw", "lawn", 2},
	} {
		if got := Distance(tt.a, tt.b); got != tt.want {
			t.Errorf("Distance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestClosest(t *testing.T) {
	for _, tt := range []struct {
		given      string
		candidates []string
		want       string
		near       bool
	}{
		{"traget", []string{"target", "trace", "format"}, "target", true},
		{"PROD", []string{"staging", "prod"}, "prod", true},
		{"ab", []string{"ac", "aa"}, "aa", true}, // ties to the smaller
		{"zzzzzzzz", []string{"staging", "prod"}, "prod", false},
		{"x", nil, "", false},
		{strings.Repeat("x", 201), []string{"x"}, "", false},
	} {
		got, near := Closest(tt.given, tt.candidates)
		if got != tt.want || near != tt.near {
			t.Errorf("Closest(%.20q, %q) = %q, %v; want %q, %v", tt.given, tt.candidates, got, near, tt.want, tt.near)
		}
	}
}
