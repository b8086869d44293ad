package policy

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/lockstep-iac/lockstep/parity"
)

// TestFactsValueSplit checks that converting the resources in parts gives
// the value one conversion gives, whether or not there are enough
// resources to split them.
func TestFactsValueSplit(t *testing.T) {
	for _, n := range []int{0, 3, minSplitResources - 1, minSplitResources, 2*minSplitResources + 7} {
		facts := syntheticFacts(n)
		whole, err := factsValue(InputVersion, facts, 1)
		if err != nil {
			t.Fatal(err)
		}
		for _, workers := range []int{2, 3, 8} {
			t.Run(fmt.Sprintf("%d resources, %d workers", n, workers), func(t *testing.T) {
				got, err := factsValue(InputVersion, facts, workers)
				if err != nil {
					t.Fatal(err)
				}
				if ast.Compare(got, whole) != 0 {
					t.Errorf("the parts convert to another value than the whole")
				}
				if got.Len() != whole.Len() {
					t.Errorf("%d keys, want %d", got.Len(), whole.Len())
				}
				res := got.Get(ast.StringTerm("resources"))
				if a, ok := res.Value.(*ast.Array); n > 0 && (!ok || a.Len() != n) {
					t.Errorf("resources = %v, want %d of them", res, n)
				}
			})
		}
	}
}

// syntheticFacts are n matched resources, every tenth with a differing
// attribute.
func syntheticFacts(n int) *parity.Facts {
	f := &parity.Facts{Environments: []string{"staging", "production"}, Kinds: map[string]string{"staging": "plan", "production": "plan"}}
	for i := range n {
		addr := fmt.Sprintf("aws_instance.web[%d]", i)
		r := &parity.Resource{Address: addr, Canonical: addr, Type: "aws_instance", OnlyIn: []string{}, Attributes: []*parity.Attribute{},
			Envs: []parity.EnvState{{Env: "staging", Address: addr, Now: true, After: true, Actions: []string{"no-op"}, Action: "no-op"},
				{Env: "production", Address: addr, Now: true, Actions: []string{}}}}
		if i%10 == 0 {
			r.Attributes = append(r.Attributes, &parity.Attribute{Path: "instance_type",
				Now:        map[string]any{"staging": "t3.micro", "production": json.Number(fmt.Sprint(i))},
				After:      map[string]any{"staging": []any{"a", true, nil}},
				DiffersNow: true})
		}
		f.Resources = append(f.Resources, r)
	}
	return f
}
