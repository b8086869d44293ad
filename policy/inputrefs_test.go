package policy

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/lockstep-iac/lockstep/internal/testfile"
)

// TestInputReads: the static analysis finds a read of input.<key> however
// the rule spells it (a reference, an index, `some ... in`, a function
// argument, a comprehension, an else), at the line of the read, and
// nothing else (data documents, other keys, a local named input_x).
func TestInputReads(t *testing.T) {
	const head = "package main\n\nimport rego.v1\n\n"
	for _, tc := range []struct {
		name, body string
		want       []string // rule key line
	}{
		{"reference", "deny contains r.type if {\n\tr := input.resource_changes[_]\n}\n", []string{"main.deny resource_changes 6"}},
		{"index", "deny contains 1 if {\n\tinput[\"planned_values\"].root_module\n}\n", []string{"main.deny planned_values 6"}},
		{"some in", "deny contains x if {\n\tsome x in input.configuration.provider_config\n}\n", []string{"main.deny configuration 6"}},
		{"function argument", "f(x) := count(x)\n\ndeny contains 1 if {\n\tf(input.prior_state) > 0\n}\n", []string{"main.deny prior_state 8"}},
		{"comprehension", "deny contains n if {\n\tn := count([r | some r in input.values.root_module.resources])\n}\n", []string{"main.deny values 6"}},
		{"head", "warn contains input.values.x if {\n\ttrue\n}\n", []string{"main.warn values 5"}},
		{"helper rule", "names contains r.address if {\n\tsome r in input.resource_changes\n}\n", []string{"main.names resource_changes 6"}},
		{"twice, once per rule", "deny contains 1 if {\n\tinput.values.a\n\tinput.values.b\n}\n", []string{"main.deny values 6"}},
		{"cross-environment keys only", "deny contains 1 if {\n\tinput.env.staging\n\tinput.resources[_].address\n\tdata.resource_changes\n}\n", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			testfile.Write(t, filepath.Join(dir, "p.rego"), head+tc.body)
			err := checkPolicyReads(t, dir)
			var got []string
			if err != nil {
				for _, p := range err.(*Error).Problems {
					rule, rest, _ := strings.Cut(p.Message, " reads input.")
					key, _, _ := strings.Cut(rest, ",")
					got = append(got, fmt.Sprintf("%s %s %d", rule, key, p.Line))
					if !strings.HasSuffix(p.Message, SinglePlanHint) || filepath.Base(p.File) != "p.rego" {
						t.Errorf("problem %+v lacks the file or the hint", p)
					}
				}
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("reads %q, want %q", got, tc.want)
			}
		})
	}
}

func checkPolicyReads(t *testing.T, dir string) error {
	t.Helper()
	_, err := New(context.Background(), Options{PolicyDirs: []string{dir}})
	if err != nil {
		if _, ok := err.(*Error); !ok {
			t.Fatalf("%T %v", err, err)
		}
	}
	return err
}
