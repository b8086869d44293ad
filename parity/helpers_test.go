package parity_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/lockstep-iac/lockstep/parity"
	"github.com/lockstep-iac/lockstep/snapshot"
)

type vals = map[string]any

// res is a resource that exists now and is left as is (a state, or a plan
// outside -target).
func res(addr string, now vals) *snapshot.Resource {
	r := planned(addr, now, nil)
	r.After = r.Now
	return r
}

// planned is a resource with a plan: now or after may be nil.
func planned(addr string, now, after vals, actions ...string) *snapshot.Resource {
	r := &snapshot.Resource{Address: addr, Type: typeOf(addr), Actions: actions}
	if now != nil {
		r.Now = &snapshot.Object{Values: snapshot.NewAttributes(now)}
	}
	if after != nil {
		r.After = &snapshot.Object{Values: snapshot.NewAttributes(after)}
	}
	return r
}

// withUnknown sets the after_unknown mask of r's planned object.
func withUnknown(r *snapshot.Resource, unknown any) *snapshot.Resource {
	r.After.Unknown = unknown
	return r
}

// typeOf returns the resource type of an address: the second-to-last of
// its dot-separated steps, dots inside index brackets not counting.
func typeOf(addr string) string {
	var steps []string
	depth, start := 0, 0
	for i := 0; i < len(addr); i++ {
		switch addr[i] {
		case '[':
			depth++
		case ']':
			depth--
		case '.':
			if depth == 0 {
				steps = append(steps, addr[start:i])
				start = i + 1
			}
		}
	}
	steps = append(steps, addr[start:])
	if len(steps) < 2 {
		return ""
	}
	return steps[len(steps)-2]
}

func snap(rs ...*snapshot.Resource) *snapshot.Snapshot {
	s := &snapshot.Snapshot{Kind: snapshot.KindPlan, Resources: map[string]*snapshot.Resource{}}
	for _, r := range rs {
		s.Resources[r.Address] = r
	}
	return s
}

func env(name string, s *snapshot.Snapshot, aliases ...string) parity.Env {
	return parity.Env{Name: name, Aliases: aliases, Snapshot: s}
}

// pair builds staging and production (alias prod) with default options.
func pair(t *testing.T, staging, production *snapshot.Snapshot) *parity.Facts {
	t.Helper()
	return build(t, parity.Options{Envs: []parity.Env{env("staging", staging), env("production", production, "prod")}})
}

func build(t *testing.T, opts parity.Options) *parity.Facts {
	t.Helper()
	f, err := parity.Build(opts)
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	return f
}

func resource(t *testing.T, f *parity.Facts, canonical string) *parity.Resource {
	t.Helper()
	for _, r := range f.Resources {
		if r.Canonical == canonical {
			return r
		}
	}
	t.Fatalf("no resource %q in %v", canonical, canonicals(f))
	return nil
}

func canonicals(f *parity.Facts) []string {
	var out []string
	for _, r := range f.Resources {
		out = append(out, r.Canonical)
	}
	return out
}

func paths(r *parity.Resource) []string {
	out := []string{}
	for _, a := range r.Attributes {
		out = append(out, a.Path)
	}
	return out
}

func attr(t *testing.T, r *parity.Resource, path string) *parity.Attribute {
	t.Helper()
	for _, a := range r.Attributes {
		if a.Path == path {
			return a
		}
	}
	t.Fatalf("%s: no attribute %q in %v", r.Canonical, path, paths(r))
	return nil
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return string(b) + "\n"
}

// Fake matchers standing in for config.AddressPattern and config.PathPattern.
type addressIs []string

func (a addressIs) Match(address string) bool {
	for _, x := range a {
		if x == address {
			return true
		}
	}
	return false
}

type pathIs string

func (p pathIs) Match(path []string) bool { return strings.Join(path, ".") == string(p) }

func sens(h string) snapshot.Sensitive { return snapshot.Sensitive{Hash: h} }

func num(s string) json.Number { return json.Number(s) }
