package config

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

const scopeEnvs = `
environment "dev" {}
environment "staging" {}
environment "production" {
  aliases = ["prod"]
}
`

func scopedBlock(envs string) string {
	return `expect_difference "images" {
  resources    = ["module.app[*].terraform_data.deployment"]
  attributes   = ["**.image"]
  environments = ` + envs + `
  reason       = "dev runs newer images"
}
`
}

// TestScopeDecoded: environments is resolved to canonical names; without
// it a declaration is for every environment (nil).
func TestScopeDecoded(t *testing.T) {
	tests := []struct {
		name, src string
		want      []string
	}{
		{"alias resolved", scopeEnvs + scopedBlock(`["dev", "prod"]`), []string{"dev", "production"}},
		{"before the environment blocks", scopedBlock(`["staging"]`) + scopeEnvs, []string{"staging"}},
		{"no environment blocks: as written", scopedBlock(`["dev"]`), []string{"dev"}},
		{"no scope", "expect_difference \"x\" {\n  resources = [\"a.b\"]\n  attributes = [\"*\"]\n  reason = \"r\"\n}\n", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := Parse([]byte(tt.src), "lockstep.hcl", Options{})
			if err != nil {
				t.Fatal(err)
			}
			if got := cfg.ExpectDifferences[0].Environments; !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Environments = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestScopeErrors: a scope that names nobody, an undeclared environment or
// one twice is a config error at the name.
func TestScopeErrors(t *testing.T) {
	tests := []struct {
		name, src string
		want      []string
		detail    string
	}{
		{"empty", scopeEnvs + scopedBlock(`[]`), []string{"10:18: Empty environment list"}, "leave the argument out"},
		{"blank name", scopeEnvs + scopedBlock(`[" "]`), []string{"10:19: Invalid environment name"}, "must not be empty"},
		{"undeclared", scopeEnvs + scopedBlock(`["dev", "prdo"]`), []string{"10:26: Undeclared environment"}, `Did you mean "prod"?`},
		{"twice via alias", scopeEnvs + scopedBlock(`["production", "prod"]`), []string{"10:33: Duplicate environment"}, "already listed"},
		{"not a list", scopeEnvs + scopedBlock(`"dev"`), []string{"10:18: Incorrect attribute value type"}, "list of strings"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.src), "lockstep.hcl", Options{})
			var cerr *Error
			if !errors.As(err, &cerr) {
				t.Fatalf("Parse: %v, want a *config.Error", err)
			}
			var got []string
			for _, d := range cerr.Diagnostics {
				got = append(got, fmt.Sprintf("%d:%d: %s", d.Subject.Start.Line, d.Subject.Start.Column, d.Summary))
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("diagnostics %q, want %q", got, tt.want)
			}
			if !strings.Contains(err.Error(), tt.detail) {
				t.Errorf("error %q does not contain %q", err, tt.detail)
			}
		})
	}
}

// TestCheckScopes: without environment blocks, scope names are checked
// against the environments of the run, at the name's position.
func TestCheckScopes(t *testing.T) {
	run := []string{"dev", "staging", "production"}
	tests := []struct {
		name, src string
		want      string // "" for no error
	}{
		{"known", scopedBlock(`["dev"]`), ""},
		{"typo", scopedBlock(`["dev", "stagign"]`), `lockstep.hcl:4:26: Unknown environment; expect_difference "images" lists "stagign" in environments, which is not one of this run's environments. Did you mean "staging"?`},
		{"declared environments are checked by Parse", scopeEnvs + scopedBlock(`["dev"]`), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := Parse([]byte(tt.src), "lockstep.hcl", Options{})
			if err != nil {
				t.Fatal(err)
			}
			err = cfg.CheckScopes(run)
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("CheckScopes: %v", err)
			case tt.want != "" && (err == nil || err.Error() != tt.want):
				t.Errorf("CheckScopes: %v\nwant %s", err, tt.want)
			}
		})
	}
	var nilCfg *Config
	if err := nilCfg.CheckScopes(run); err != nil {
		t.Errorf("nil config: %v", err)
	}
}
