package check

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/lockstep-iac/lockstep/config"
	"github.com/lockstep-iac/lockstep/tfsource"
)

// TestValueOf: where an environment's value of a root variable is set, in
// Terraform's order, on scenario w-workspaces-tfvars's configuration
// (common.auto.tfvars sets log_level; ENV.tfvars set image and more).
func TestValueOf(t *testing.T) {
	dir := "../testdata/scenarios/w-workspaces-tfvars/config"
	ix, err := tfsource.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	dev := &config.Environment{Name: "dev", VarFiles: []string{filepath.Join(dir, "dev.tfvars")}}
	tests := []struct {
		name     string
		env      *config.Environment
		variable string
		want     string // "FILE:LINE", or "" for none
	}{
		{"auto file without var files", nil, "log_level", "common.auto.tfvars:2"},
		{"var file after auto file", dev, "log_level", "dev.tfvars:4"},
		{"var file", dev, "image", "dev.tfvars:1"},
		{"default", dev, "region", "variables.tf:25"},
		{"no default, not set", nil, "image", ""},
		{"set by vars in lockstep.hcl", &config.Environment{Name: "dev", VarFiles: dev.VarFiles, Vars: map[string]string{"image": "x"}}, "image", ""},
		{"last var file wins", &config.Environment{VarFiles: []string{filepath.Join(dir, "production.tfvars"), filepath.Join(dir, "staging.tfvars")}}, "image", "staging.tfvars:1"},
	}
	files := varFiles{parsed: map[string]map[string]tfsource.Position{}, auto: map[string][]string{}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			loc, ok, err := files.valueOf(ix, tt.env, tt.variable)
			if err != nil {
				t.Fatal(err)
			}
			got := ""
			if ok {
				got = fmt.Sprintf("%s:%d", filepath.Base(loc.File), loc.Line)
				if loc.Variable != tt.variable || loc.Attribute != tt.variable {
					t.Errorf("location %+v does not name variable %s", loc, tt.variable)
				}
			}
			if got != tt.want {
				t.Errorf("valueOf(%s) = %q, want %q", tt.variable, got, tt.want)
			}
		})
	}
	if _, _, err := files.valueOf(ix, &config.Environment{VarFiles: []string{filepath.Join(dir, "nope.tfvars")}}, "image"); err == nil {
		t.Error("a missing var file is no error")
	}
}
