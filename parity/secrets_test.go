package parity_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/lockstep-iac/lockstep/parity"
	"github.com/lockstep-iac/lockstep/snapshot"
)

func weak(h string) snapshot.Sensitive { return snapshot.Sensitive{Hash: h, Weak: true} }

func password(v any) vals { return vals{"input": vals{"password": v}} }

// TestSharedSecrets: paths where two environments hold the same sensitive
// value, compared by hash.
func TestSharedSecrets(t *testing.T) {
	both := []string{"staging", "production"}
	tests := []struct {
		name                string
		staging, production *snapshot.Resource
		declared            []string
		want                []parity.SharedSecret
	}{
		{
			name:       "same hash",
			staging:    res("aws_x.a", password(sens("h1"))),
			production: res("aws_x.a", password(sens("h1"))),
			want:       []parity.SharedSecret{{Path: "input.password", Envs: both}},
		},
		{
			name:       "different hashes",
			staging:    res("aws_x.a", password(sens("h1"))),
			production: res("aws_x.a", password(sens("h2"))),
		},
		{
			name:       "weak values",
			staging:    res("aws_x.a", password(weak("h1"))),
			production: res("aws_x.a", password(weak("h1"))),
		},
		{
			name:       "one side plain",
			staging:    res("aws_x.a", password(sens("h1"))),
			production: res("aws_x.a", password("clear-text")),
		},
		{
			name:       "one side missing",
			staging:    res("aws_x.a", password(sens("h1"))),
			production: res("aws_x.a", vals{"input": vals{}}),
		},
		{
			name:       "in a list, with several paths",
			staging:    res("aws_x.a", vals{"keys": []any{sens("k1"), sens("k2")}, "token": sens("t1")}),
			production: res("aws_x.a", vals{"keys": []any{sens("k9"), sens("k2")}, "token": sens("t1")}),
			want:       []parity.SharedSecret{{Path: "keys.1", Envs: both}, {Path: "token", Envs: both}},
		},
		{
			name:       "shared in the planned values only",
			staging:    planned("aws_x.a", password(sens("old")), password(sens("h1")), "update"),
			production: res("aws_x.a", password(sens("h1"))),
			want:       []parity.SharedSecret{{Path: "input.password", Envs: both}},
		},
		{
			name:       "the plan creates the sharing resource",
			staging:    res("aws_x.a", password(sens("h1"))),
			production: planned("aws_x.a", nil, password(sens("h1")), "create"),
			want:       []parity.SharedSecret{{Path: "input.password", Envs: both}},
		},
		{
			// Current behaviour: shared now is reported even though the
			// plan rotates it.
			name:       "shared now, the plan rotates it",
			staging:    planned("aws_x.a", password(sens("h1")), password(sens("new")), "update"),
			production: res("aws_x.a", password(sens("h1"))),
			want:       []parity.SharedSecret{{Path: "input.password", Envs: both}},
		},
		{
			name:       "planned value unknown",
			staging:    withUnknown(planned("aws_x.a", password(sens("old")), vals{"input": vals{}}, "update"), vals{"input": vals{"password": true}}),
			production: res("aws_x.a", password(sens("h1"))),
		},
		{
			// Current behaviour: a declared difference is not compared at
			// all, so a secret shared there is not reported either.
			name:       "declared difference path is skipped",
			staging:    res("aws_x.a", password(sens("h1"))),
			production: res("aws_x.a", password(sens("h1"))),
			declared:   []string{"input.password"},
		},
		{
			name:       "declared difference elsewhere",
			staging:    res("aws_x.a", password(sens("h1"))),
			production: res("aws_x.a", password(sens("h1"))),
			declared:   []string{"input.size"},
			want:       []parity.SharedSecret{{Path: "input.password", Envs: both}},
		},
		{
			// Current behaviour: ignored keys are never compared.
			name:       "ignored key",
			staging:    res("aws_x.a", vals{"etag": sens("h1")}),
			production: res("aws_x.a", vals{"etag": sens("h1")}),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := parity.Options{Envs: []parity.Env{env("staging", snap(tt.staging)), env("production", snap(tt.production), "prod")}}
			if tt.declared != nil {
				d := parity.Declared{Resources: []parity.AddressMatcher{addressIs{"aws_x.a"}}}
				for _, p := range tt.declared {
					d.Attributes = append(d.Attributes, pathIs(p))
				}
				opts.Declared = []parity.Declared{d}
			}
			f := build(t, opts)
			want := tt.want
			if want == nil {
				want = []parity.SharedSecret{}
			}
			got := resource(t, f, "aws_x.a").SharedSecrets
			if got == nil || mustJSON(t, got) != mustJSON(t, want) {
				t.Errorf("shared secrets\n%s\nwant\n%s", mustJSON(t, got), mustJSON(t, want))
			}
			if j := mustJSON(t, f); strings.Contains(j, `"h1"`) {
				t.Errorf("facts show a hash:\n%s", j)
			}
		})
	}
}

// TestSharedSecretsSeveralEnvironments: one entry per group of
// environments sharing one value, environments in promotion order.
func TestSharedSecretsSeveralEnvironments(t *testing.T) {
	tests := []struct {
		name   string
		hashes []any // per environment: dev, qa, staging, production
		want   []parity.SharedSecret
	}{
		{
			name:   "two of three share",
			hashes: []any{sens("h1"), nil, sens("h2"), sens("h1")},
			want:   []parity.SharedSecret{{Path: "password", Envs: []string{"dev", "production"}}},
		},
		{
			name:   "all share",
			hashes: []any{sens("h1"), sens("h1"), sens("h1"), sens("h1")},
			want:   []parity.SharedSecret{{Path: "password", Envs: []string{"dev", "qa", "staging", "production"}}},
		},
		{
			name:   "two different pairs",
			hashes: []any{sens("h2"), sens("h1"), sens("h2"), sens("h1")},
			want: []parity.SharedSecret{
				{Path: "password", Envs: []string{"dev", "staging"}},
				{Path: "password", Envs: []string{"qa", "production"}},
			},
		},
		{
			name:   "a pair and a weak pair",
			hashes: []any{weak("w"), sens("h1"), weak("w"), sens("h1")},
			want:   []parity.SharedSecret{{Path: "password", Envs: []string{"qa", "production"}}},
		},
		{
			name:   "none share",
			hashes: []any{sens("h1"), sens("h2"), sens("h3"), "h1"},
		},
	}
	names := []string{"dev", "qa", "staging", "production"}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var envs []parity.Env
			for i, name := range names {
				s := snap()
				if tt.hashes[i] != nil {
					s = snap(res("aws_x.a", vals{"password": tt.hashes[i]}))
				}
				envs = append(envs, env(name, s))
			}
			f := build(t, parity.Options{Envs: envs})
			want := tt.want
			if want == nil {
				want = []parity.SharedSecret{}
			}
			if got := resource(t, f, "aws_x.a").SharedSecrets; mustJSON(t, got) != mustJSON(t, want) {
				t.Errorf("shared secrets\n%s\nwant\n%s", mustJSON(t, got), mustJSON(t, want))
			}
		})
	}
}

// TestSharedRandomPassword: a random_password's result is never compared
// for divergence (it differs by nature), but the same generated password
// in two environments (state copied from one to the other) is still a
// shared secret.
//
// KNOWN FAILURE (bug): comparer.skip() returns true for random results
// before the leaf is reached, so sameSecret never sees them.
func TestSharedRandomPassword(t *testing.T) {
	f := pair(t,
		snap(res("random_password.db", vals{"length": num("24"), "result": sens("pw1"), "bcrypt_hash": sens("bc1")})),
		snap(res("random_password.db", vals{"length": num("24"), "result": sens("pw1"), "bcrypt_hash": sens("bc1")})))
	r := resource(t, f, "random_password.db")
	if len(r.Attributes) != 0 {
		t.Errorf("attributes %v", paths(r))
	}
	both := []string{"staging", "production"}
	want := []parity.SharedSecret{{Path: "bcrypt_hash", Envs: both}, {Path: "result", Envs: both}}
	if got := r.SharedSecrets; mustJSON(t, got) != mustJSON(t, want) {
		t.Errorf("shared secrets\n%s\nwant\n%s", mustJSON(t, got), mustJSON(t, want))
	}
}

// TestSharedSecretsBeyond64Environments: environment sets have no width
// limit, so a secret shared by the first and the 70th environment, or by
// two environments past the 64th, is found.
func TestSharedSecretsBeyond64Environments(t *testing.T) {
	var envs []parity.Env
	for i := range 70 {
		h := fmt.Sprintf("own-%d", i)
		switch i {
		case 0, 69:
			h = "first-and-last"
		case 65, 66:
			h = "past-64"
		}
		envs = append(envs, env(fmt.Sprintf("e%02d", i), snap(res("aws_x.a", password(sens(h))))))
	}
	f := build(t, parity.Options{Envs: envs})
	got := resource(t, f, "aws_x.a").SharedSecrets
	want := []parity.SharedSecret{
		{Path: "input.password", Envs: []string{"e00", "e69"}},
		{Path: "input.password", Envs: []string{"e65", "e66"}},
	}
	if mustJSON(t, got) != mustJSON(t, want) {
		t.Errorf("shared secrets\n%s\nwant\n%s", mustJSON(t, got), mustJSON(t, want))
	}
}
