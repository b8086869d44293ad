package check

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/lockstep-iac/lockstep/internal/synth"
	"github.com/lockstep-iac/lockstep/report"
)

// writePair writes synthetic staging and production plans of n resources
// each (about 11.5 KB per resource, as large real plans carry).
func writePair(b *testing.B, n int) []Input {
	b.Helper()
	dir := b.TempDir()
	var inputs []Input
	for _, env := range []string{"staging", "production"} {
		p := filepath.Join(dir, env+".plan.json")
		f, err := os.Create(p)
		if err != nil {
			b.Fatal(err)
		}
		if err := synth.WritePlan(f, synth.Spec{Env: env, Resources: n, Divergent: env == "staging"}); err != nil {
			b.Fatal(err)
		}
		f.Close()
		inputs = append(inputs, Input{Name: env, Path: p})
	}
	return inputs
}

func inputBytes(b *testing.B, inputs []Input) int64 {
	var total int64
	for _, in := range inputs {
		st, err := os.Stat(in.Path)
		if err != nil {
			b.Fatal(err)
		}
		total += st.Size()
	}
	return total
}

// seeded is how many findings the synthetic divergences must produce: the
// benchmark fails if the pipeline gets faster by getting them wrong.
var seeded = map[int]int{1000: 16, 10000: 163}

// perSize runs body as a sub-benchmark for each size, on a fresh pair of
// plans, with the timer and byte count set up.
func perSize(b *testing.B, body func(b *testing.B, n int, inputs []Input)) {
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("%dx2", n), func(b *testing.B) {
			inputs := writePair(b, n)
			b.SetBytes(inputBytes(b, inputs))
			b.ResetTimer()
			body(b, n, inputs)
		})
	}
}

// BenchmarkCheck measures the whole pipeline, end to end: read and parse
// both plans, match and compare, evaluate the Rego rules, render JSON.
func BenchmarkCheck(b *testing.B) {
	perSize(b, func(b *testing.B, n int, inputs []Input) {
		for b.Loop() {
			rep, err := Run(context.Background(), Options{Inputs: inputs})
			if err != nil {
				b.Fatal(err)
			}
			if len(rep.Findings) != seeded[n] {
				b.Fatalf("%d findings, want the %d seeded divergences", len(rep.Findings), seeded[n])
			}
			if err := (report.JSON{}).Format(io.Discard, rep); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkUnmarshalFloor is what decoding the same two files into
// interface{} costs with encoding/json: the floor for any tool that reads
// all of them.
func BenchmarkUnmarshalFloor(b *testing.B) {
	perSize(b, func(b *testing.B, _ int, inputs []Input) {
		for b.Loop() {
			for _, in := range inputs {
				data, err := os.ReadFile(in.Path)
				if err != nil {
					b.Fatal(err)
				}
				var v any
				if err := json.Unmarshal(data, &v); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
}
