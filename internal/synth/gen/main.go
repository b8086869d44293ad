// Command gen writes a pair of synthetic staging/production plans for timing
// lockstep by hand: go run ./internal/synth/gen -n 10000 -out /tmp/bench
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
	flag.Parse()
	for _, env := range []string{"staging", "production"} {
		f, err := os.Create(filepath.Join(*out, env+".plan.json"))
		if err == nil {
			err = synth.WritePlan(f, synth.Spec{Env: env, Resources: *n, Divergent: env == "staging"})
			if cerr := f.Close(); err == nil {
				err = cerr
			}
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
}
