package config

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestLiveArguments: workspace, dir, plan, var_files and vars of an
// environment block, with paths relative to the config file, and each
// wrong value an error naming the argument.
func TestLiveArguments(t *testing.T) {
	src := `environment "production" {
  workspace = "prod"
  dir       = "infra"
  plan      = true
  var_files = ["vars/prod.tfvars"]
  vars      = { size = 3, region = "eu-west-1", debug = false }
}
environment "staging" {}
`
	cfg, err := Parse([]byte(src), "conf/lockstep.hcl", knownRules)
	if err != nil {
		t.Fatal(err)
	}
	got := cfg.Environment("production")
	want := Environment{Workspace: "prod", Dir: filepath.Join("conf", "infra"), Plan: true,
		VarFiles: []string{filepath.Join("conf", "vars/prod.tfvars")}, Vars: map[string]string{"size": "3", "region": "eu-west-1", "debug": "false"}}
	if got.Workspace != want.Workspace || got.Dir != want.Dir || got.Plan != want.Plan || !reflect.DeepEqual(got.VarFiles, want.VarFiles) || !reflect.DeepEqual(got.Vars, want.Vars) {
		t.Errorf("got %+v", got)
	}
	if s := cfg.Environment("staging"); s.Workspace != "" || s.Dir != "" || s.Plan || s.VarFiles != nil || s.Vars != nil {
		t.Errorf("staging: %+v", s)
	}

	for _, tc := range []struct{ name, body, says string }{
		{"empty workspace", `workspace = ""`, "workspace"},
		{"plan not a bool", `plan = "yes"`, "true or false"},
		{"var_files not a list", `var_files = "a.tfvars"`, "list of strings"},
		{"vars not a map", `vars = ["a=1"]`, "map of variable values"},
		{"vars with a list", `vars = { zones = ["a"] }`, `variable "zones"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte("environment \"x\" {\n"+tc.body+"\n}\nenvironment \"y\" {}\n"), "lockstep.hcl", knownRules)
			if err == nil || !strings.Contains(err.Error(), tc.says) {
				t.Errorf("error %v, want one saying %q", err, tc.says)
			}
		})
	}
}
