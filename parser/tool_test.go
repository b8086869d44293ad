package parser_test

import (
	"testing"

	"github.com/lockstep-iac/lockstep/parser"
)

// TestToolOf: OpenTofu's registry says OpenTofu, and wins a mix (an
// OpenTofu configuration may name registry.terraform.io in full);
// Terraform's says Terraform; built-in providers and other registries say
// nothing.
func TestToolOf(t *testing.T) {
	for _, tc := range []struct {
		name  string
		addrs []string
		want  string
	}{
		{"opentofu", []string{"registry.opentofu.org/hashicorp/null"}, "opentofu"},
		{"terraform", []string{"registry.terraform.io/hashicorp/aws"}, "terraform"},
		{"mix", []string{"registry.terraform.io/hashicorp/aws", "registry.opentofu.org/hashicorp/null"}, "opentofu"},
		{"hostname case", []string{"Registry.OpenTofu.org/hashicorp/null"}, "opentofu"},
		{"built-in", []string{"terraform.io/builtin/terraform"}, ""},
		{"other registry", []string{"app.terraform.io/acme/thing", "example.com/acme/thing"}, ""},
		{"none", nil, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := parser.ToolOf(tc.addrs); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

// TestToolOfInputs: the sign is read from each kind of input: a plan's
// provider_config, a state's provider_name, a raw state's provider
// address (in a module too). The OpenTofu fixtures use built-in providers
// only, so nothing tells there.
func TestToolOfInputs(t *testing.T) {
	for _, tc := range []struct {
		name, data, want string
	}{
		{"plan", `{"format_version":"1.2","terraform_version":"1.10.10","planned_values":{},"configuration":{"provider_config":{"null":{"name":"null","full_name":"registry.opentofu.org/hashicorp/null"}},"root_module":{}}}`, "opentofu"},
		{"plan, terraform", `{"format_version":"1.2","planned_values":{},"configuration":{"provider_config":{"aws":{"full_name":"registry.terraform.io/hashicorp/aws"}},"root_module":{}}}`, "terraform"},
		{"state", `{"format_version":"1.0","values":{"root_module":{"resources":[{"address":"null_resource.a","mode":"managed","type":"null_resource","name":"a","provider_name":"registry.opentofu.org/hashicorp/null","values":{"id":"1"}}]}}}`, "opentofu"},
		{"raw state in a module", `{"version":4,"terraform_version":"1.10.10","serial":1,"lineage":"l","resources":[{"module":"module.app","mode":"managed","type":"null_resource","name":"a","provider":"module.app.provider[\"registry.opentofu.org/hashicorp/null\"].alias","instances":[{"schema_version":0,"attributes":{"id":"1"}}]}]}`, "opentofu"},
		{"raw state, built-in", `{"version":4,"serial":1,"lineage":"l","resources":[{"mode":"managed","type":"terraform_data","name":"a","provider":"provider[\"terraform.io/builtin/terraform\"]","instances":[{"schema_version":0,"attributes":{"id":"1"}}]}]}`, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := mustParseBytes(t, tc.name+".json", []byte(tc.data)).Tool; got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
	for _, ext := range []string{"plan.json", "state.json", "tfstate"} {
		if got := mustParse(t, "../testdata/scenarios/opentofu/a-staging-only-change/staging."+ext).Tool; got != "" {
			t.Errorf("%s: tool %q from built-in providers only", ext, got)
		}
	}
}
