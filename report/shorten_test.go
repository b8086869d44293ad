package report

import (
	"strings"
	"testing"
)

func TestShorten(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		max      int
		want     string
	}{
		{"short", "abc", 4, "abc"},
		{"at the bound", "abcd", 4, "abcd"},
		{"over", "abcdef", 4, "abcd… (6 bytes)"},
		{"cut at a character", "aéé", 2, "a… (5 bytes)"},
		{"long", strings.Repeat("x", 1<<20), 3, "xxx… (1048576 bytes)"},
	} {
		if got := Shorten(tc.in, tc.max); got != tc.want {
			t.Errorf("%s: Shorten(%d bytes, %d) = %q, want %q", tc.name, len(tc.in), tc.max, got, tc.want)
		}
	}
}
