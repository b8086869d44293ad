package check

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// TestIdenticalInputs: two environments read from byte-identical inputs
// are refused, naming the first pair in promotion order, whether the same
// path was given twice or a pipeline copied one environment's plan under
// the other's name; AllowIdenticalInputs accepts them.
func TestIdenticalInputs(t *testing.T) {
	const a = "../testdata/scenarios/a-staging-only-change/"
	copied := filepath.Join(t.TempDir(), "production.plan.json")
	b, err := os.ReadFile(a + "staging.plan.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(copied, b, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		inputs []Input
		allow  bool
		want   [2]string // the pair named, or none
	}{
		{"different plans", []Input{{"staging", a + "staging.plan.json"}, {"production", a + "production.plan.json"}}, false, [2]string{}},
		{"one path twice", []Input{{"staging", a + "staging.plan.json"}, {"production", a + "staging.plan.json"}}, false, [2]string{"staging", "production"}},
		{"a copy under another name", []Input{{"staging", a + "staging.plan.json"}, {"production", copied}}, false, [2]string{"staging", "production"}},
		{"first pair of three", []Input{{"dev", a + "production.plan.json"}, {"staging", a + "staging.plan.json"}, {"production", a + "production.plan.json"}}, false, [2]string{"dev", "production"}},
		{"allowed", []Input{{"staging", a + "staging.plan.json"}, {"production", a + "staging.plan.json"}}, true, [2]string{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Document(Options{Inputs: tc.inputs, AllowIdenticalInputs: tc.allow}, nil)
			var same *IdenticalInputsError
			switch {
			case tc.want == [2]string{}:
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
			case !errors.As(err, &same):
				t.Fatalf("error %v, want an *IdenticalInputsError", err)
			case same.First.Name != tc.want[0] || same.Second.Name != tc.want[1] || len(same.SHA256) != 64:
				t.Errorf("names %s and %s (sha256 %q), want %s and %s", same.First.Name, same.Second.Name, same.SHA256, tc.want[0], tc.want[1])
			}
		})
	}
}
