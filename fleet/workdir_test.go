package fleet_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/lockstep-iac/lockstep/evidence"
)

// TestWorkingDirectories: --inputs 'live/{env}/{stack}' finds Terraform
// working directories (local backends, read from their state files here)
// and records how each was read; a directory that is not a root module is
// not an input.
func TestWorkingDirectories(t *testing.T) {
	root := t.TempDir()
	tf, err := os.ReadFile(fixtureDir + "terraform/main.tf")
	if err != nil {
		t.Fatal(err)
	}
	for _, stack := range []string{"alpha", "beta"} {
		for _, env := range []string{"dev", "staging", "production"} {
			dir := filepath.Join(root, "live", env, stack)
			state, err := os.ReadFile(fixtureDir + "exports/alpha/" + env + ".tfstate")
			if err != nil {
				t.Fatal(err)
			}
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			os.WriteFile(filepath.Join(dir, "main.tf"), tf, 0o644)
			os.WriteFile(filepath.Join(dir, "terraform.tfstate"), state, 0o644)
		}
	}
	// Not a root module: no .tf file, no .terraform.
	os.MkdirAll(filepath.Join(root, "live", "dev", "docs"), 0o755)

	opts := fixtureOptions()
	opts.Patterns = []string{filepath.Join(root, "live", "{env}", "{stack}")}
	d := runFleet(t, opts)
	if len(d.Stacks) != 2 {
		t.Fatalf("stacks %+v, want alpha and beta", d.Stacks)
	}
	for _, s := range d.Stacks {
		if s.Status != evidence.StatusParity {
			t.Errorf("stack %s: %s (%s)", s.Name, s.Status, s.Reason)
		}
	}
	for _, in := range d.Evidence.Inputs {
		if in.ReadFrom == nil || in.ReadFrom.Via != "state file" || in.Serial == nil || in.Lineage == "" || in.Resources != 3 {
			t.Errorf("%s/%s: read_from %+v, serial %v, lineage %q, %d resources", in.Stack, in.Environment, in.ReadFrom, in.Serial, in.Lineage, in.Resources)
		}
	}
}
