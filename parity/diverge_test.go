package parity_test

import (
	"testing"

	"github.com/lockstep-iac/lockstep/parity"
	"github.com/lockstep-iac/lockstep/snapshot"
)

// TestDivergence: who the plans take away from its neighbour in promotion
// order (dev, staging, production), at the path "v" of aws_x.a.
func TestDivergence(t *testing.T) {
	// upd is a plan moving v from now to after; keep leaves it.
	upd := func(now, after string) *snapshot.Resource {
		return planned("aws_x.a", vals{"v": now, "other": "1"}, vals{"v": after, "other": "1"}, "update")
	}
	keep := func(v string) *snapshot.Resource { return res("aws_x.a", vals{"v": v, "other": "1"}) }
	// unknownAfter changes "other" and makes v unknown, as terraform_data's
	// output is when any input changes.
	unknownAfter := func(now string) *snapshot.Resource {
		return withUnknown(planned("aws_x.a", vals{"v": now, "other": "1"}, vals{"other": "2"}, "update"), vals{"v": true})
	}
	for _, tc := range []struct {
		name                  string
		dev, staging, prod    *snapshot.Resource
		want                  *parity.Divergence
		differsAfter, present bool
	}{
		{name: "staging converges on dev, production diverges from staging",
			dev: keep("info"), staging: upd("warn", "info"), prod: upd("info", "warn"),
			want: &parity.Divergence{Env: "production", Versus: "staging"}, differsAfter: true, present: true},
		{name: "dev and staging move together, production stays",
			dev: upd("1", "3"), staging: upd("1", "3"), prod: keep("1"),
			want: &parity.Divergence{Env: "staging", Versus: "production"}, differsAfter: true, present: true},
		{name: "the first environment alone changes",
			dev: upd("a", "b"), staging: keep("a"), prod: keep("a"),
			want: &parity.Divergence{Env: "dev", Versus: "staging"}, differsAfter: true, present: true},
		{name: "an unknown is not a divergence; dev and staging differ on their own",
			dev: keep("db.t3.micro"), staging: keep("db.t3.medium"), prod: unknownAfter("db.t3.medium"),
			differsAfter: true, present: true},
		{name: "environment tokens are normalised",
			dev: keep("app-dev"), staging: upd("x", "app-staging"), prod: keep("app-production"),
			present: false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := build(t, parity.Options{Envs: []parity.Env{
				env("dev", snap(tc.dev)), env("staging", snap(tc.staging)), env("production", snap(tc.prod)),
			}})
			r := resource(t, f, "aws_x.a")
			var a *parity.Attribute
			for _, x := range r.Attributes {
				if x.Path == "v" {
					a = x
				}
			}
			if !tc.present {
				if a != nil && a.DiffersAfter {
					t.Fatalf("v differs after: %+v", a)
				}
				return
			}
			if a == nil {
				t.Fatalf("no attribute v in %v", paths(r))
			}
			if a.DiffersAfter != tc.differsAfter {
				t.Errorf("differs_after %v, want %v", a.DiffersAfter, tc.differsAfter)
			}
			switch {
			case tc.want == nil && a.Diverges != nil:
				t.Errorf("diverges %+v, want none", *a.Diverges)
			case tc.want != nil && (a.Diverges == nil || *a.Diverges != *tc.want):
				t.Errorf("diverges %+v, want %+v", a.Diverges, *tc.want)
			}
		})
	}
}
