package tfsource

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// workspaces is the configuration of scenario w-workspaces-tfvars: module
// app (for_each) takes every value from root variables and calls module
// sidecar, which takes log_level from app's variable.
const workspaces = "../testdata/scenarios/w-workspaces-tfvars/config"

func TestRootVariable(t *testing.T) {
	ix, err := Load(workspaces)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		addr, path, want string
	}{
		{`module.app["api"].terraform_data.deployment`, "input.image", "image"},
		{`module.app["api"].terraform_data.deployment`, "output.image", ""}, // computed: not in the source
		{`module.app["web"].terraform_data.deployment`, "input.network.ingress.0.security_groups", ""},
		{`module.app["web"].terraform_data.deployment`, "input.replicas", "replicas"},
		{`module.app["web"].terraform_data.deployment`, "input.name", ""}, // an interpolation, not var.NAME
		{`module.app["api"].module.sidecar.terraform_data.agent`, "input.log_level", "log_level"},
		{`terraform_data.debug_tools[0]`, "input.name", ""},
		{`module.nope.terraform_data.deployment`, "input.image", ""},
		{`not an address`, "input.image", ""},
	}
	for _, tt := range tests {
		got, ok := ix.RootVariable(tt.addr, tt.path)
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("RootVariable(%s, %s) = %q, %v; want %q", tt.addr, tt.path, got, ok, tt.want)
		}
	}
	b, ok := ix.Variable("log_level")
	if p, found := b.Attribute("default"); !ok || !found || filepath.Base(p.File) != "variables.tf" || p.Line != 20 {
		t.Errorf("log_level default at %+v (%v, %v), want variables.tf:20", p, ok, found)
	}
	if _, ok := ix.Variable("name"); ok {
		t.Error("Variable found a module's variable in the root")
	}
}

func TestVarFiles(t *testing.T) {
	auto, err := AutoVarFiles(workspaces)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{filepath.Join(workspaces, "common.auto.tfvars")}; !slices.Equal(auto, want) {
		t.Errorf("AutoVarFiles = %q, want %q", auto, want)
	}
	dir := t.TempDir()
	for name, src := range map[string]string{
		"terraform.tfvars":     "a = 1\n",
		"b.auto.tfvars.json":   `{"b": 2, "c": {"d": 3}}`,
		"a.auto.tfvars":        "c = 3\n",
		".hidden.auto.tfvars":  "x = 1\n",
		"bad.tfvars":           "a = \n",
		"terraform.tfvars.bak": "",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	auto, err = AutoVarFiles(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range auto {
		names = append(names, filepath.Base(f))
	}
	if want := []string{"terraform.tfvars", "a.auto.tfvars", "b.auto.tfvars.json"}; !slices.Equal(names, want) {
		t.Errorf("AutoVarFiles = %q, want %q (Terraform's order)", names, want)
	}
	got, err := VarFile(filepath.Join(workspaces, "production.tfvars"))
	if err != nil {
		t.Fatal(err)
	}
	if p := got["region"]; p.Line != 5 || p.Column != 1 || len(got) != 5 {
		t.Errorf("production.tfvars: %+v", got)
	}
	got, err = VarFile(filepath.Join(dir, "b.auto.tfvars.json"))
	if err != nil || got["b"].Line != 1 || len(got) != 2 {
		t.Errorf("JSON var file: %+v, %v", got, err)
	}
	if _, err := VarFile(filepath.Join(dir, "bad.tfvars")); err == nil || !strings.Contains(err.Error(), "bad.tfvars:1:") {
		t.Errorf("syntax error: %v, want the file and line", err)
	}
	if _, err := VarFile(filepath.Join(dir, "nope.tfvars")); err == nil || !strings.Contains(err.Error(), "nope.tfvars") {
		t.Errorf("missing file: %v", err)
	}
}
