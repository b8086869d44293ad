package fleet_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lockstep-iac/lockstep/internal/testfile"

	"github.com/lockstep-iac/lockstep/evidence"
)

// TestEnvPolicy: the fleet's env_policy block runs its conftest policies
// over every environment of every stack, as check's does, and is part of
// the rule bundle's digest; a stack's own env_policy block is refused for
// that stack (one engine judges the fleet), never ignored.
func TestEnvPolicy(t *testing.T) {
	dir := t.TempDir()
	policies := filepath.Join(dir, "conftest")
	testfile.Write(t, filepath.Join(policies, "audit.rego"), "package main\n\ndeny contains \"audited by the fleet's conftest policy\" if { true }\n")
	fleetConfig, err := os.ReadFile(fixtureDir + "lockstep.hcl")
	if err != nil {
		t.Fatal(err)
	}
	testfile.Write(t, filepath.Join(dir, "lockstep.hcl"), string(fleetConfig)+"\nenv_policy {\n  dirs = [\"conftest\"]\n}\n")

	plain := runFleet(t, fixtureOptions())
	opts := fixtureOptions()
	opts.ConfigFile = filepath.Join(dir, "lockstep.hcl")
	d := runFleet(t, opts)
	for _, s := range d.Stacks {
		if s.Status == evidence.StatusInputError || s.Status == evidence.StatusNotComparable {
			continue
		}
		n := 0
		for _, f := range s.Findings {
			if f.Rule == "main.deny" && strings.Contains(f.Message, "audited by the fleet's conftest policy") {
				n++
			}
		}
		if n != len(s.Environments) {
			t.Errorf("stack %s: %d findings of the fleet's policy, want one per environment (%v)", s.Name, n, s.Environments)
		}
	}
	if d.Evidence.RuleBundle.SHA256 == plain.Evidence.RuleBundle.SHA256 || len(d.Evidence.RuleBundle.Files) != len(plain.Evidence.RuleBundle.Files)+1 {
		t.Errorf("the rule bundle does not count the env_policy file: %+v", d.Evidence.RuleBundle)
	}

	// A stack of its own with an env_policy block.
	stack := filepath.Join(dir, "exports", "solo")
	for _, env := range []string{"staging", "production"} {
		b, err := os.ReadFile(fixtureDir + "exports/bravo/" + env + ".json")
		if err != nil {
			t.Fatal(err)
		}
		testfile.Write(t, filepath.Join(stack, env+".json"), string(b))
	}
	testfile.Write(t, filepath.Join(stack, "lockstep.hcl"), "env_policy {\n  dirs = [\"../../conftest\"]\n}\n")
	opts = fixtureOptions()
	opts.Patterns, opts.ConfigFile = []string{filepath.Join(dir, "exports", "{stack}", "{env}.json")}, ""
	d = runFleet(t, opts)
	if len(d.Stacks) != 1 || d.Stacks[0].Status != evidence.StatusInputError || !strings.Contains(d.Stacks[0].Reason, "applies to the whole fleet") {
		t.Errorf("a stack's own env_policy: %+v, want an input error saying it applies to the whole fleet", d.Stacks)
	}
}

// TestInputTool: the evidence records which tool wrote each input where
// the input tells (two real plans whose configurations name
// registry.terraform.io providers), as check's report does.
func TestInputTool(t *testing.T) {
	dir := t.TempDir()
	for env, src := range map[string]string{
		"staging":    "../testdata/real/checkov/plan_with_for_each.tfplan.json",
		"production": "../testdata/real/checkov/plan_with_deleted_resources.tfplan.json",
	} {
		b, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		testfile.Write(t, filepath.Join(dir, "real", env+".json"), string(b))
	}
	opts := fixtureOptions()
	opts.Patterns, opts.ConfigFile = []string{filepath.Join(dir, "{stack}", "{env}.json")}, ""
	d := runFleet(t, opts)
	if len(d.Evidence.Inputs) != 2 {
		t.Fatalf("%d inputs, want 2", len(d.Evidence.Inputs))
	}
	for _, in := range d.Evidence.Inputs {
		if in.Tool != "terraform" {
			t.Errorf("%s: tool %q, want terraform (%s)", in.Path, in.Tool, in.Error)
		}
	}
}
