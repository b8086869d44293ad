package policy

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
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

// TestValueFromJSON: the value built from the JSON's tokens is the one
// ast.ValueFromReader gives, for the facts and the whole input document
// (every environment's resources) of every scenario, as plans, state JSON
// and raw states.
func TestValueFromJSON(t *testing.T) {
	checked := 0
	eachScenarioKind(t, func(scenario, kind string) {
		doc := scenarioDocument(t, scenario, kind)
		facts, err := json.Marshal(struct {
			Version int `json:"version"`
			*parity.Facts
		}{doc.Version, doc.Facts})
		if err != nil {
			t.Fatal(err)
		}
		whole, err := json.Marshal(doc)
		if err != nil {
			t.Fatal(err)
		}
		for _, b := range [][]byte{facts, whole} {
			want, err := ast.ValueFromReader(bytes.NewReader(b))
			if err != nil {
				t.Fatal(err)
			}
			got, err := valueFromJSON(b)
			if err != nil {
				t.Fatalf("%s %s: %v", scenario, kind, err)
			}
			if got.Compare(want) != 0 {
				t.Errorf("%s %s: the value differs from ValueFromReader's", scenario, kind)
			}
			checked++
		}
	})
	if checked < 40 {
		t.Fatalf("only %d documents checked", checked)
	}
}

// FuzzValueFromJSON: for any JSON encoding/json would write, the value
// built from its tokens is ValueFromReader's.
func FuzzValueFromJSON(f *testing.F) {
	for _, s := range []string{`{"a":[1,2.5e3,-0,"x\u00e9\n",true,null,{}],"b":{"c":[]}}`, `[]`, `"s"`, `12345678901234567890123`, `{"":{"":""}}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		dec := json.NewDecoder(bytes.NewReader(in))
		dec.UseNumber()
		var x any
		if dec.Decode(&x) != nil {
			return
		}
		b, err := json.Marshal(x)
		if err != nil {
			return
		}
		want, err := ast.ValueFromReader(bytes.NewReader(b))
		if err != nil {
			return
		}
		got, err := valueFromJSON(b)
		if err != nil {
			t.Fatalf("%s: %v", b, err)
		}
		if got.Compare(want) != 0 {
			t.Fatalf("%s: %v, want %v", b, got, want)
		}
	})
}

// TestValueFromJSONShares: every occurrence of a member name or of a short
// string is one term, booleans and null are OPA's interned terms, and a
// long string, or a string met once the reader shares maxShared, is a term
// of its own.
func TestValueFromJSONShares(t *testing.T) {
	long := strings.Repeat("x", maxSharedText+1)
	b, err := json.Marshal([]any{
		map[string]any{"env": "staging", "now": true, "address": long, "v": nil},
		map[string]any{"env": "staging", "now": true, "address": long, "v": nil},
	})
	if err != nil {
		t.Fatal(err)
	}
	v, err := valueFromJSON(b)
	if err != nil {
		t.Fatal(err)
	}
	a, ok := v.(*ast.Array)
	if !ok || a.Len() != 2 {
		t.Fatalf("%v: want an array of two objects", v)
	}
	first, second := a.Elem(0).Value.(ast.Object), a.Elem(1).Value.(ast.Object)
	for _, k := range []string{"env", "now", "v"} {
		x, y := first.Get(ast.StringTerm(k)), second.Get(ast.StringTerm(k))
		if x == nil || x != y {
			t.Errorf("%s: the objects hold %p and %p, want one term", k, x, y)
		}
	}
	if first.Get(ast.StringTerm("now")) != ast.InternedTerm(true) || first.Get(ast.StringTerm("v")) != ast.InternedNullTerm {
		t.Error("true and null are not OPA's interned terms")
	}
	if first.Get(ast.StringTerm("address")) == second.Get(ast.StringTerm("address")) {
		t.Errorf("a string of %d bytes is shared, want a term of its own", len(long))
	}
	keys := func(o ast.Object) map[string]*ast.Term {
		out := map[string]*ast.Term{}
		o.Foreach(func(k, _ *ast.Term) { out[string(k.Value.(ast.String))] = k })
		return out
	}
	k1, k2 := keys(first), keys(second)
	for k, t1 := range k1 {
		if t1 != k2[k] {
			t.Errorf("member name %q: two terms, want one", k)
		}
	}

	var many []string
	for i := range maxShared + 1 {
		many = append(many, strconv.Itoa(i))
	}
	b, err = json.Marshal([][]string{many, many})
	if err != nil {
		t.Fatal(err)
	}
	if v, err = valueFromJSON(b); err != nil {
		t.Fatal(err)
	}
	outer := v.(*ast.Array)
	x, y := outer.Elem(0).Value.(*ast.Array), outer.Elem(1).Value.(*ast.Array)
	if x.Elem(maxShared-1) != y.Elem(maxShared-1) {
		t.Errorf("the %dth string is not shared", maxShared)
	}
	if x.Elem(maxShared) == y.Elem(maxShared) {
		t.Errorf("the %dth string is shared: the reader holds more than maxShared", maxShared+1)
	}
}
