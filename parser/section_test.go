package parser

import (
	"strings"
	"testing"

	"github.com/lockstep-iac/lockstep/internal/guard"
)

// TestTooDeep checks the quick bounds of tooDeep against the exact count:
// values at, below and beyond the room left at their depth, and shallow
// values with more brackets than that, inside strings or side by side.
func TestTooDeep(t *testing.T) {
	nested := func(n int) string { return strings.Repeat("[", n) + strings.Repeat("]", n) }
	wide := "[" + strings.Repeat("[],", guard.MaxDepth) + "[]]"
	quoted := `"` + strings.Repeat("{[", guard.MaxDepth) + `"`
	tests := []struct {
		name  string
		depth int
		raw   string
		want  bool
	}{
		{"scalar", 1, `"x"`, false},
		{"at the limit", 1, nested(guard.MaxDepth), false},
		{"one beyond the limit", 1, nested(guard.MaxDepth + 1), true},
		{"at the limit, deeper in the document", 10, nested(guard.MaxDepth - 9), false},
		{"beyond the limit, deeper in the document", 10, nested(guard.MaxDepth - 8), true},
		{"many brackets side by side", 1, wide, false},
		{"many brackets in a string", 1, quoted, false},
		{"many brackets in a string, deep", 1, "[" + quoted + "," + nested(guard.MaxDepth) + "]", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tooDeep(tt.depth, []byte(tt.raw)); got != tt.want {
				t.Errorf("tooDeep = %v, want %v", got, tt.want)
			}
			if exact := tt.depth-1+guard.Nesting([]byte(tt.raw)) > guard.MaxDepth; exact != tt.want {
				t.Errorf("the test is wrong: guard.Nesting says %v", exact)
			}
		})
	}
}
