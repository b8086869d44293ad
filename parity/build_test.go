package parity_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/lockstep-iac/lockstep/parity"
)

func TestBuildErrors(t *testing.T) {
	if _, err := parity.Build(parity.Options{}); err == nil {
		t.Error("Build without environments succeeded")
	}
	_, err := parity.Build(parity.Options{Envs: []parity.Env{env("staging", snap()), env("production", snap())}, Target: "prod"})
	if err == nil || !strings.Contains(err.Error(), `"prod"`) || !strings.Contains(err.Error(), "staging, production") {
		t.Errorf("unknown target: %v", err)
	}
}

func TestDeclaredAndOnlyIn(t *testing.T) {
	staging := snap(
		res(`aws_x.sized`, vals{"size": "small", "input": vals{"size": "small", "zone": "a"}, "name": "x"}),
		res(`aws_x.other`, vals{"size": "small"}),
		res(`module.m["staging"].aws_x.mod`, vals{"size": "small"}),
	)
	production := snap(
		res(`aws_x.sized`, vals{"size": "large", "input": vals{"size": "large", "zone": "b"}, "name": "y"}),
		res(`aws_x.other`, vals{"size": "large"}),
		res(`module.m["production"].aws_x.mod`, vals{"size": "large"}),
		res(`aws_x.shield`, vals{"on": true}),
	)
	opts := parity.Options{
		Envs: []parity.Env{env("staging", staging), env("production", production)},
		Declared: []parity.Declared{
			{Resources: []parity.AddressMatcher{addressIs{"aws_x.sized"}}, Attributes: []parity.PathMatcher{pathIs("size"), pathIs("input.size")}},
			// Matches production's literal address only: the declaration
			// applies to the matched resource as a whole.
			{Resources: []parity.AddressMatcher{addressIs{`module.m["production"].aws_x.mod`}}, Attributes: []parity.PathMatcher{pathIs("size")}},
			{Resources: []parity.AddressMatcher{addressIs{"aws_x.sized"}}, Attributes: []parity.PathMatcher{pathIs("input")}},
		},
		OnlyIn: []parity.OnlyIn{
			{Env: "production", Resources: []parity.AddressMatcher{addressIs{"aws_x.shield"}}},
			{Env: "staging", Resources: []parity.AddressMatcher{addressIs{`aws_x.nothing`}}},
			// Canonical addresses match too.
			{Env: "dev", Resources: []parity.AddressMatcher{addressIs{`module.m["${env}"].aws_x.mod`}}},
		},
	}
	f := build(t, opts)
	if got := paths(resource(t, f, "aws_x.sized")); !slices.Equal(got, []string{"name"}) {
		t.Errorf("sized: paths %v, want only name", got)
	}
	if got := paths(resource(t, f, "aws_x.other")); !slices.Equal(got, []string{"size"}) {
		t.Errorf("other: paths %v: a declaration for one resource must not hide another's", got)
	}
	if got := paths(resource(t, f, `module.m["${env}"].aws_x.mod`)); len(got) != 0 {
		t.Errorf("module resource: paths %v", got)
	}
	if got := resource(t, f, "aws_x.shield").OnlyIn; !slices.Equal(got, []string{"production"}) {
		t.Errorf("shield only_in %v", got)
	}
	if got := resource(t, f, `module.m["${env}"].aws_x.mod`).OnlyIn; !slices.Equal(got, []string{"dev"}) {
		t.Errorf("module resource only_in %v", got)
	}
	if got := resource(t, f, "aws_x.other").OnlyIn; got == nil || len(got) != 0 {
		t.Errorf("other only_in %#v, want empty and non-nil", got)
	}
	shield := resource(t, f, "aws_x.shield")
	if shield.Envs[0].Now || shield.Envs[0].After || !shield.Envs[1].Now || shield.Address != "aws_x.shield" {
		t.Errorf("shield envs %+v", shield.Envs)
	}

	// Two only_in blocks naming the same resource both count.
	opts.OnlyIn = append(opts.OnlyIn, parity.OnlyIn{Env: "staging", Resources: []parity.AddressMatcher{addressIs{"aws_x.shield"}}})
	f = build(t, opts)
	if got := resource(t, f, "aws_x.shield").OnlyIn; !slices.Equal(got, []string{"production", "staging"}) {
		t.Errorf("shield only_in %v", got)
	}
}

func TestThreeEnvironments(t *testing.T) {
	dev := snap(
		res("aws_x.a", vals{"name": "a-dev", "ver": "16"}),
		res("aws_x.b", vals{"v": "1"}),
	)
	staging := snap(
		res("aws_x.a", vals{"name": "a-staging", "ver": "15"}),
	)
	production := snap(
		planned("aws_x.a", vals{"name": "a-production", "ver": "14"}, vals{"name": "a-production", "ver": "16"}, "update"),
		planned("aws_x.b", vals{"v": "1"}, vals{"v": "2"}, "update"),
	)
	f := build(t, parity.Options{
		Envs:   []parity.Env{env("dev", dev, "development"), env("staging", staging, "stg"), env("production", production, "prod")},
		Target: "production",
	})
	if !slices.Equal(f.Environments, []string{"dev", "staging", "production"}) || f.Previous != "staging" {
		t.Fatalf("environments %v previous %q", f.Environments, f.Previous)
	}
	a := resource(t, f, "aws_x.a")
	if got := paths(a); !slices.Equal(got, []string{"ver"}) {
		t.Fatalf("paths %v", got)
	}
	ver := attr(t, a, "ver")
	if len(ver.Now) != 3 || ver.Now["dev"] != "16" || ver.Now["staging"] != "15" || ver.Now["production"] != "14" || !slices.Equal(ver.Changed, []string{"production"}) {
		t.Errorf("ver %+v", ver)
	}
	if p := a.Promotion; p == nil || p.Previous != "staging" || !p.PreviousHas || len(p.Paths) != 1 || p.Paths[0].Previous != "15" || p.Paths[0].Target != "16" {
		t.Errorf("promotion %s", mustJSON(t, a.Promotion))
	}
	o := resource(t, f, "aws_x.b")
	if len(o.Envs) != 3 || !o.Envs[0].Now || o.Envs[1].Now || o.Envs[1].Env != "staging" || !o.Envs[2].Now {
		t.Errorf("envs %+v", o.Envs)
	}
	if p := o.Promotion; p == nil || p.PreviousHas || p.Previous != "staging" {
		t.Errorf("promotion %s: staging lacks it, so previous_has is false even though dev has it", mustJSON(t, p))
	}
	if got := paths(o); !slices.Equal(got, []string{"v"}) {
		t.Errorf("b paths %v", got)
	}
	if v := attr(t, o, "v"); v.DiffersNow || !v.DiffersAfter || len(v.Now) != 2 {
		t.Errorf("v %+v", v)
	}
}

func TestSingleEnvironment(t *testing.T) {
	f := build(t, parity.Options{Envs: []parity.Env{env("staging", snap(planned("aws_x.a", vals{"v": "1"}, vals{"v": "2"}, "update")))}})
	r := resource(t, f, "aws_x.a")
	if len(r.Attributes) != 0 || r.Promotion != nil || len(r.Envs) != 1 {
		t.Errorf("one environment: %s", mustJSON(t, r))
	}
}
