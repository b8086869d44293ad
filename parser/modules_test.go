package parser_test

import (
	"strings"
	"testing"

	"github.com/lockstep-iac/lockstep/parser"
	"github.com/lockstep-iac/lockstep/snapshot"
)

func TestModuleCalls(t *testing.T) {
	const scenarioA = scenariosDir + "/a-staging-only-change"
	tests := []struct {
		file string
		want map[string]snapshot.ModuleCall
	}{
		{scenarioA + "/staging.plan.json", map[string]snapshot.ModuleCall{
			"module.app": {Source: "./modules/app"},
		}},
		// Registry modules with a version constraint, nested three deep
		// (Terraform 0.12.31).
		{realDir + "/infracost/terraform_v0.12_plan.json", map[string]snapshot.ModuleCall{
			"module.db":             {Source: "./db"},
			"module.db.module.db_1": {Source: "terraform-aws-modules/rds/aws", Version: "~> 2.0"},
			"module.db.module.db_1.module.db_instance":        {Source: "./modules/db_instance"},
			"module.db.module.db_1.module.db_option_group":    {Source: "./modules/db_option_group"},
			"module.db.module.db_1.module.db_parameter_group": {Source: "./modules/db_parameter_group"},
			"module.db.module.db_1.module.db_subnet_group":    {Source: "./modules/db_subnet_group"},
			"module.db.module.db_2":                           {Source: "terraform-aws-modules/rds/aws", Version: "~> 2.0"},
			"module.db.module.db_2.module.db_instance":        {Source: "./modules/db_instance"},
			"module.db.module.db_2.module.db_option_group":    {Source: "./modules/db_option_group"},
			"module.db.module.db_2.module.db_parameter_group": {Source: "./modules/db_parameter_group"},
			"module.db.module.db_2.module.db_subnet_group":    {Source: "./modules/db_subnet_group"},
			"module.instances":                                {Source: "./instances"},
		}},
		// A registry module without a version constraint beside a nested
		// local one (Terraform 1.2.4).
		{realDir + "/checkov/plan_nested_child_modules_with_connections.tfplan.json", map[string]snapshot.ModuleCall{
			"module.s3_bucket":                     {Source: "terraform-aws-modules/s3-bucket/aws"},
			"module.s3_module":                     {Source: "./module"},
			"module.s3_module.module.s3_submodule": {Source: "./sub"},
		}},
		{realDir + "/terraform-compliance/test_issue_796.plan.json", map[string]snapshot.ModuleCall{
			"module.outer":              {Source: "./outer"},
			"module.outer.module.inner": {Source: "./inner"},
		}},
		// A configuration without module calls: an empty map, not nil.
		{realDir + "/terraform-json/numerics/plan.json", map[string]snapshot.ModuleCall{}},
		{"testdata/plan-drift.json", map[string]snapshot.ModuleCall{}},
		// No configuration at all (states): nil.
		{scenarioA + "/staging.state.json", nil},
		{scenarioA + "/staging.tfstate", nil},
		{realDir + "/infracost/terraform_v0.12_state.json", nil},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got := mustParse(t, tt.file).Modules
			if (got == nil) != (tt.want == nil) || !deepEqual(got, tt.want) {
				t.Errorf("Modules = %#v\nwant %#v", got, tt.want)
			}
		})
	}
}

func TestModuleCallsEdgeCases(t *testing.T) {
	tests := []struct {
		name string
		json string
		want map[string]snapshot.ModuleCall
	}{
		{"plan without configuration", `{"format_version":"1.2","resource_changes":[]}`, nil},
		{"null configuration", `{"format_version":"1.2","resource_changes":[],"configuration":null}`, nil},
		{"empty configuration", `{"format_version":"1.2","configuration":{}}`, map[string]snapshot.ModuleCall{}},
		{"null module and call", `{"format_version":"1.2","configuration":{"root_module":{"module_calls":{"a":{"source":"./a","module":null},"b":null}}}}`,
			map[string]snapshot.ModuleCall{"module.a": {Source: "./a"}}},
		{"call without module", `{"format_version":"1.2","configuration":{"root_module":{"module_calls":{"a":{"source":"git::https://example.com/a.git?ref=v1"}}}}}`,
			map[string]snapshot.ModuleCall{"module.a": {Source: "git::https://example.com/a.git?ref=v1"}}},
		// The boundary where a source enters lockstep: no later stage holds
		// the token (internal/sourceaddr has the full table).
		{"credentials, nested too", `{"format_version":"1.2","configuration":{"root_module":{"module_calls":{"a":{"source":"git::https://x-access-token:ghs_T0KEN@github.com/acme/a.git//sub?ref=v1&sshkey=S5HKEY","module":{"module_calls":{"b":{"source":"s3::https://s3.amazonaws.com/b/m.zip?aws_access_key_secret=AW5SECRET&region=us-east-1"}}}}}}}}`,
			map[string]snapshot.ModuleCall{
				"module.a":          {Source: "git::https://(credentials)@github.com/acme/a.git//sub?ref=v1&sshkey=(credentials)"},
				"module.a.module.b": {Source: "s3::https://s3.amazonaws.com/b/m.zip?aws_access_key_secret=(credentials)&region=us-east-1"},
			}},
		{"nested", `{"format_version":"1.2","configuration":{"root_module":{"module_calls":{"a":{"source":"x/a/aws","version_constraint":">= 1.0","module":{"resources":[{"address":"t.n"}],"module_calls":{"b":{"source":"./b","module":{"module_calls":{"c":{"source":"x/c/aws","version_constraint":"1.2.3"}}}}}}}}}}}`,
			map[string]snapshot.ModuleCall{
				"module.a":                   {Source: "x/a/aws", Version: ">= 1.0"},
				"module.a.module.b":          {Source: "./b"},
				"module.a.module.b.module.c": {Source: "x/c/aws", Version: "1.2.3"},
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := mustParseBytes(t, "plan.json", []byte(tt.json)).Modules
			if (got == nil) != (tt.want == nil) || !deepEqual(got, tt.want) {
				t.Errorf("Modules = %#v\nwant %#v", got, tt.want)
			}
		})
	}

	// A source of the wrong type is an input error that names the field,
	// not the value.
	const bad = `{"format_version":"1.2","configuration":{"root_module":{"module_calls":{"a":{"source":12345}}}}}`
	_, err := parser.Parse("plan.json", []byte(bad), opts())
	ie := inputError(t, err, "plan.json")
	if want := "source should be a string, found number"; !strings.Contains(ie.Problem, want) || strings.Contains(ie.Problem, "12345") {
		t.Errorf("Problem = %q, want it to contain %q and not the value", ie.Problem, want)
	}
}
