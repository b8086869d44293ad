package config

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// TestTooManyProblems: a mangled file reports its first problems and a
// count of the rest, not one line per problem without end.
func TestTooManyProblems(t *testing.T) {
	var b strings.Builder
	for i := range 2 * maxDiagnostics {
		fmt.Fprintf(&b, "bogus%d = 1\n", i)
	}
	src := b.String()
	_, err := Parse([]byte(src), "x.hcl", Options{})
	var ce *Error
	if !errors.As(err, &ce) {
		t.Fatalf("got %v", err)
	}
	if len(ce.Diagnostics) != maxDiagnostics+1 {
		t.Errorf("%d diagnostics, want %d", len(ce.Diagnostics), maxDiagnostics+1)
	}
	if last := ce.Diagnostics[len(ce.Diagnostics)-1]; last.Summary != "Too many problems" || !strings.Contains(last.Detail, "50 more problems") {
		t.Errorf("last diagnostic %q: %q", last.Summary, last.Detail)
	}
}
