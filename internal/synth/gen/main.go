// Command gen writes synthetic staging/production inputs for timing lockstep
// by hand: a pair of plans (go run ./internal/synth/gen -n 10000 -out
// /tmp/bench), or, with -state, a local-backend working directory whose
// workspaces hold the pair as states (terraform.tfstate.d/<env>), the
// layout `--env staging=DIR` reads through Terraform or directly.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/lockstep-iac/lockstep/internal/synth"
)

func main() {
	n := flag.Int("n", 10000, "resources per environment")
	out := flag.String("out", ".", "directory to write staging.plan.json and production.plan.json to")
	state := flag.Bool("state", false, "write a working directory with staging and production workspaces instead of plans")
	flag.Parse()
	if err := write(*out, *n, *state); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func write(out string, n int, state bool) error {
	if state {
		if err := os.MkdirAll(out, 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(out, "main.tf"), []byte("# state only\n"), 0o644); err != nil {
			return err
		}
	}
	for i, env := range []string{"staging", "production"} {
		path := filepath.Join(out, env+".plan.json")
		if state {
			path = filepath.Join(out, "terraform.tfstate.d", env, "terraform.tfstate")
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				return err
			}
		}
		f, err := os.Create(path)
		if err != nil {
			return err
		}
		spec := synth.Spec{Env: env, Resources: n, Divergent: env == "staging"}
		if state {
			err = synth.WriteState(f, spec, fmt.Sprintf("00000000-0000-0000-0000-%012d", i))
		} else {
			err = synth.WritePlan(f, spec)
		}
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
	}
	return nil
}
