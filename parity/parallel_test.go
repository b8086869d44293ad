package parity_test

import (
	"bytes"
	"runtime"
	"testing"

	"github.com/lockstep-iac/lockstep/internal/synth"
	"github.com/lockstep-iac/lockstep/parity"
	"github.com/lockstep-iac/lockstep/parser"
)

// TestParallelResources checks that comparing resources on several CPUs
// gives the facts one CPU gives, in the same order, for pairs smaller and
// larger than one worker's batch (run with -race to check it shares
// nothing it writes).
func TestParallelResources(t *testing.T) {
	for _, n := range []int{3, 64, 65, 200} {
		envs := synthEnvs(t, n)
		facts := map[int]string{}
		for _, procs := range []int{1, 4} {
			prev := runtime.GOMAXPROCS(procs)
			f, err := parity.Build(parity.Options{Envs: envs, Target: "production"})
			runtime.GOMAXPROCS(prev)
			if err != nil {
				t.Fatal(err)
			}
			facts[procs] = mustJSON(t, f)
		}
		if facts[1] != facts[4] {
			t.Errorf("%d resources: the facts of 4 CPUs differ from those of one", n)
		}
	}
}

// synthEnvs reads a synthetic pair of n resources per environment, with
// staging's seeded divergences.
func synthEnvs(t *testing.T, n int) []parity.Env {
	t.Helper()
	var envs []parity.Env
	for _, name := range []string{"staging", "production"} {
		var b bytes.Buffer
		if err := synth.WritePlan(&b, synth.Spec{Env: name, Resources: n, Divergent: name == "staging"}); err != nil {
			t.Fatal(err)
		}
		s, err := parser.Parse(name+".plan.json", b.Bytes(), parser.Options{Key: []byte("parallel-test-key")})
		if err != nil {
			t.Fatal(err)
		}
		envs = append(envs, parity.Env{Name: name, Snapshot: s})
	}
	return envs
}
