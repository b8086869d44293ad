package parity_test

import (
	"testing"

	"github.com/lockstep-iac/lockstep/parity"
)

// TestModuleCallTokens: module calls are matched through environment
// tokens, as resource addresses are (issue 16): a directory per
// environment calling module.app_staging and module.app_prod (alias prod)
// is one call, nested calls too; calls without tokens and ambiguous calls
// keep their literal addresses.
func TestModuleCallTokens(t *testing.T) {
	const src = "../../modules/app"
	for _, tc := range []struct {
		name string
		envs []parity.Env
		want []*parity.Version
	}{
		{
			name: "alias in one, name in the other",
			envs: []parity.Env{
				env("staging", versioned("staging", "", nil, mods{"module.app_staging": {Source: src}})),
				env("production", versioned("production", "", nil, mods{"module.app_prod": {Source: src}}), "prod"),
			},
			want: []*parity.Version{{Kind: "module-source", Name: "module.app_staging",
				Values: map[string]string{"staging": src, "production": src}, Missing: []string{}, Sources: map[string]string{}}},
		},
		{
			name: "nested calls of three environments",
			envs: []parity.Env{
				env("dev", versioned("dev", "", nil, mods{"module.dev": {Source: "./e"}, "module.dev.module.db": {Source: "./db", Version: "1.0"}})),
				env("staging", versioned("staging", "", nil, mods{"module.staging": {Source: "./e"}, "module.staging.module.db": {Source: "./db", Version: "1.0"}})),
				env("production", versioned("production", "", nil, mods{"module.prod": {Source: "./e"}, "module.prod.module.db": {Source: "./db", Version: "2.0"}}), "prod"),
			},
			want: []*parity.Version{
				{Kind: "module-source", Name: "module.dev", Values: map[string]string{"dev": "./e", "staging": "./e", "production": "./e"}, Missing: []string{}, Sources: map[string]string{}},
				{Kind: "module-source", Name: "module.dev.module.db", Values: map[string]string{"dev": "./db", "staging": "./db", "production": "./db"}, Missing: []string{}, Sources: map[string]string{}},
				{Kind: "module-version", Name: "module.dev.module.db", Values: map[string]string{"dev": "1.0", "staging": "1.0", "production": "2.0"}, Missing: []string{}, Sources: map[string]string{}, Differs: true},
			},
		},
		{
			name: "a call only one environment has is still missing",
			envs: []parity.Env{
				env("staging", versioned("staging", "", nil, mods{"module.app_staging": {Source: src}, "module.extra": {Source: src}})),
				env("production", versioned("production", "", nil, mods{"module.app_prod": {Source: src}}), "prod"),
			},
			want: []*parity.Version{
				{Kind: "module-source", Name: "module.app_staging", Values: map[string]string{"staging": src, "production": src}, Missing: []string{}, Sources: map[string]string{}},
				{Kind: "module-source", Name: "module.extra", Values: map[string]string{"staging": src}, Missing: []string{"production"}, Sources: map[string]string{}, Differs: true},
			},
		},
		{
			name: "two calls of one environment with one canonical address keep their own",
			envs: []parity.Env{
				env("staging", versioned("staging", "", nil, mods{"module.app_staging": {Source: src}})),
				env("production", versioned("production", "", nil, mods{"module.app_prod": {Source: src}, "module.app_production": {Source: src}}), "prod"),
			},
			want: []*parity.Version{
				{Kind: "module-source", Name: "module.app_prod", Values: map[string]string{"production": src}, Missing: []string{"staging"}, Sources: map[string]string{}, Differs: true},
				{Kind: "module-source", Name: "module.app_production", Values: map[string]string{"production": src}, Missing: []string{"staging"}, Sources: map[string]string{}, Differs: true},
				{Kind: "module-source", Name: "module.app_staging", Values: map[string]string{"staging": src}, Missing: []string{"production"}, Sources: map[string]string{}, Differs: true},
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := build(t, parity.Options{Envs: tc.envs})
			if mustJSON(t, f.Versions) != mustJSON(t, tc.want) {
				t.Errorf("versions\n%s\nwant\n%s", mustJSON(t, f.Versions), mustJSON(t, tc.want))
			}
		})
	}
}
