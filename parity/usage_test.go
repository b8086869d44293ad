package parity_test

import (
	"reflect"
	"testing"

	"github.com/lockstep-iac/lockstep/config"
	"github.com/lockstep-iac/lockstep/parity"
	"github.com/lockstep-iac/lockstep/snapshot"
)

// TestUsage: each declaration's patterns are marked as matched when they
// select something that exists in some environment, whether or not it
// differs, and only_in's environment when it names (or aliases) one of the
// environments compared.
func TestUsage(t *testing.T) {
	web := func(size string) *snapshot.Resource {
		r := res("terraform_data.web", vals{
			"input": vals{"size": size}, "tags": vals{"team": "a"},
			"rule": []any{vals{"port": num("443")}},
		})
		r.Now.Sensitive = map[string]string{"password": "h1"}
		return r
	}
	staging := snap(web("small"), res("terraform_data.staging_only", vals{}))
	production := snap(web("large"), res("aws_db_instance.production", vals{}))
	addr := func(s ...string) []parity.AddressMatcher {
		var out []parity.AddressMatcher
		for _, x := range s {
			p, err := config.ParseAddressPattern(x)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, p)
		}
		return out
	}
	path := func(s ...string) []parity.PathMatcher {
		var out []parity.PathMatcher
		for _, x := range s {
			p, err := config.ParsePathPattern(x)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, p)
		}
		return out
	}
	for _, tc := range []struct {
		name   string
		decl   []parity.Declared
		onlyIn []parity.OnlyIn
		want   parity.Usage
	}{
		{name: "typo in a resource, attribute paths from the top",
			decl: []parity.Declared{{Resources: addr("terraform_data.web", "terraform_data.netwrok"),
				Attributes: path("input.size", "size", "tags", "rule.*.port", "rule.1.port", "password", "*")}},
			want: parity.Usage{Declared: []parity.DeclaredUsage{{Resources: []bool{true, false},
				Attributes: []bool{true, false, true, true, false, true, true}}}, OnlyIn: []parity.OnlyInUsage{}}},
		{name: "equal values still match; attributes of a resource not selected do not",
			decl: []parity.Declared{{Resources: addr("terraform_data.nothing[*]"), Attributes: path("input.size")},
				{Resources: addr("terraform_data.web"), Attributes: path("tags.team")}},
			want: parity.Usage{Declared: []parity.DeclaredUsage{{Resources: []bool{false}, Attributes: []bool{false}},
				{Resources: []bool{true}, Attributes: []bool{true}}}, OnlyIn: []parity.OnlyInUsage{}}},
		{name: "only_in: environment by name or alias, and one not compared",
			onlyIn: []parity.OnlyIn{{Env: "staging", Resources: addr("terraform_data.staging_only")},
				{Env: "prod", Resources: addr("aws_db_instance.*", "aws_db_instance.replica")},
				{Env: "qa", Resources: addr("terraform_data.web")}},
			want: parity.Usage{Declared: []parity.DeclaredUsage{}, OnlyIn: []parity.OnlyInUsage{
				{Env: true, Resources: []bool{true}}, {Env: true, Resources: []bool{true, false}}, {Env: false, Resources: []bool{true}}}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := build(t, parity.Options{Envs: []parity.Env{env("staging", staging), env("production", production, "prod")},
				Declared: tc.decl, OnlyIn: tc.onlyIn})
			if !reflect.DeepEqual(*f.Usage, tc.want) {
				t.Errorf("usage\n got %+v\nwant %+v", *f.Usage, tc.want)
			}
		})
	}
}
