package check

import (
	"context"
	"io"
	"testing"

	"github.com/lockstep-iac/lockstep/output"
	"github.com/lockstep-iac/lockstep/parity"
	"github.com/lockstep-iac/lockstep/policy"
)

// The stage benchmarks time one stage of BenchmarkCheck each, on the same
// pairs, with what the stage needs prepared outside the timer:
//
//	go test -run '^$' -bench 'BenchmarkStage' -benchtime 1x ./check

// BenchmarkStageRead reads and parses both plans: the streaming reader,
// the union of the marks and the redaction.
func BenchmarkStageRead(b *testing.B) {
	perSize(b, func(b *testing.B, n int, inputs []Input) {
		for b.Loop() {
			snaps, _, _, err := readAll(context.Background(), inputs, Options{}, nil)
			if err != nil {
				b.Fatal(err)
			}
			if got, want := len(snaps[1].Resources), n-((n-1)/499+1); got != want {
				b.Fatalf("%d production resources, want %d", got, want)
			}
		}
	})
}

// stageEnvs reads the pair once for the later stages.
func stageEnvs(b *testing.B, inputs []Input) []parity.Env {
	b.Helper()
	snaps, _, _, err := readAll(context.Background(), inputs, Options{}, nil)
	if err != nil {
		b.Fatal(err)
	}
	envs := make([]parity.Env, len(inputs))
	for i, in := range inputs {
		envs[i] = parity.Env{Name: in.Name, Snapshot: snaps[i]}
	}
	return envs
}

// BenchmarkStageParity matches and compares the read snapshots and builds
// the policy document from the facts.
func BenchmarkStageParity(b *testing.B) {
	perSize(b, func(b *testing.B, n int, inputs []Input) {
		b.StopTimer()
		envs := stageEnvs(b, inputs)
		b.StartTimer()
		for b.Loop() {
			facts, err := parity.Build(parity.Options{Envs: envs})
			if err != nil {
				b.Fatal(err)
			}
			if policy.NewDocument(facts, envs) == nil || len(facts.Resources) < n {
				b.Fatalf("%d matched resources, want at least %d", len(facts.Resources), n)
			}
		}
	})
}

// BenchmarkStagePolicy evaluates the built-in rules over the document, as
// check does: over its compact built-in input.
func BenchmarkStagePolicy(b *testing.B) {
	perSize(b, func(b *testing.B, n int, inputs []Input) {
		b.StopTimer()
		envs := stageEnvs(b, inputs)
		facts, err := parity.Build(parity.Options{Envs: envs})
		if err != nil {
			b.Fatal(err)
		}
		doc := policy.NewDocument(facts, envs)
		engine, err := policy.New(context.Background(), policy.Options{})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		for b.Loop() {
			fs, err := engine.EvaluateDocument(context.Background(), doc, policy.Settings{})
			if err != nil {
				b.Fatal(err)
			}
			if len(fs) != seeded[n] {
				b.Fatalf("%d findings, want the %d seeded", len(fs), seeded[n])
			}
		}
	})
}

// BenchmarkStageRender renders the report as JSON.
func BenchmarkStageRender(b *testing.B) {
	perSize(b, func(b *testing.B, n int, inputs []Input) {
		b.StopTimer()
		rep, err := Run(context.Background(), Options{Inputs: inputs, FailOn: FailOnNever})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		for b.Loop() {
			if err := (output.JSON{}).Format(io.Discard, rep); err != nil {
				b.Fatal(err)
			}
		}
	})
}
