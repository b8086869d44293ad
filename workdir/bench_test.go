package workdir

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/lockstep-iac/lockstep/internal/parallel"
	"github.com/lockstep-iac/lockstep/internal/synth"
	"github.com/lockstep-iac/lockstep/parser"
)

// benchDir is a local-backend directory with one workspace of n resources
// per name (see synth.WriteState for why the states are generated).
func benchDir(b testing.TB, n int, workspaces ...string) string {
	b.Helper()
	dir := b.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte("# state only\n"), 0o644); err != nil {
		b.Fatal(err)
	}
	for i, ws := range workspaces {
		p := filepath.Join(dir, "terraform.tfstate.d", ws, "terraform.tfstate")
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			b.Fatal(err)
		}
		f, err := os.Create(p)
		if err != nil {
			b.Fatal(err)
		}
		spec := synth.Spec{Env: ws, Resources: n, Divergent: i == 0}
		if err := synth.WriteState(f, spec, fmt.Sprintf("00000000-0000-0000-0000-%012d", i)); err != nil {
			b.Fatal(err)
		}
		f.Close()
	}
	return dir
}

// readAndDecode is an input's whole way to a snapshot: read the
// environments side by side, then decode and redact them as check does
// (parallel.Each, as check.readAll).
func readAndDecode(b *testing.B, specs []Spec) time.Duration {
	start := time.Now()
	results, errs := ReadAll(context.Background(), specs, len(specs))
	for _, err := range errs {
		if err != nil {
			b.Fatal(err)
		}
	}
	decoded := make([]*parser.Decoded, len(results))
	derrs := make([]error, len(results))
	parallel.Each(len(results), func(i int) { decoded[i], derrs[i] = decodeResult(results[i], []byte("k")) })
	if err := errors.Join(derrs...); err != nil {
		b.Fatal(err)
	}
	marks := parser.Union(decoded...)
	parallel.Each(len(decoded), func(i int) { decoded[i].Snapshot(marks) })
	return time.Since(start)
}

// BenchmarkLocalWorkspaces reads two local-backend workspaces of 10,000
// resources into snapshots with Terraform present (what lockstep does:
// the state files, see directLocal) and without it, and through `terraform
// state pull` as well (Spec.Pull), in the same iteration. It reports the
// ratio of the read with Terraform present to the direct one (target: at
// most 1.5), and pull-ratio, what running `state pull` would cost instead.
func BenchmarkLocalWorkspaces(b *testing.B) {
	bin := terraformBin(b)
	dir := benchDir(b, 10000, "staging", "production")
	specs := func(terraform string, pull bool) []Spec {
		return []Spec{{Env: "staging", Dir: dir, Terraform: terraform, Pull: pull}, {Env: "production", Dir: dir, Terraform: terraform, Pull: pull}}
	}
	var present, direct, pulled time.Duration
	for b.Loop() {
		// The pull's garbage is collected before the next timed read.
		pulled += readAndDecode(b, specs(bin, true))
		runtime.GC()
		present += readAndDecode(b, specs(bin, false))
		runtime.GC()
		direct += readAndDecode(b, specs("", false))
		runtime.GC()
	}
	b.ReportMetric(float64(present.Milliseconds())/float64(b.N), "terraform-ms/op")
	b.ReportMetric(float64(direct.Milliseconds())/float64(b.N), "direct-ms/op")
	b.ReportMetric(float64(pulled.Milliseconds())/float64(b.N), "pull-ms/op")
	b.ReportMetric(float64(present)/float64(direct), "ratio")
	b.ReportMetric(float64(pulled)/float64(direct), "pull-ratio")
}

// BenchmarkParallel reads three environments of 10,000 resources one at a
// time and side by side, in the same iteration, and reports the side-by-
// side wall time over the slowest single read (ratio; the target is close
// to 1) and over the sum of the single reads (of-sum; one at a time would
// be 1): from the state files with Terraform present (what lockstep does
// for a local backend), and through `terraform state pull` (what it does
// for every other backend). Reads that keep the CPU busy cannot do better
// than the cores allow: on two cores, three reads that each use one core
// take at least 1.5 times the slowest and half their sum, more when a
// single read already uses more than one (the collector runs beside it).
func BenchmarkParallel(b *testing.B) {
	bin := terraformBin(b)
	names := []string{"staging", "production", "qa"}
	dir := benchDir(b, 10000, names...)
	for _, pull := range []bool{false, true} {
		name := "state-file"
		if pull {
			name = "state-pull"
		}
		b.Run(name, func(b *testing.B) {
			var all []Spec
			for _, n := range names {
				all = append(all, Spec{Env: n, Dir: dir, Terraform: bin, Pull: pull})
			}
			var slowest, sum, together time.Duration
			for b.Loop() {
				var max time.Duration
				for _, s := range all {
					runtime.GC()
					d := readAndDecode(b, []Spec{s})
					max, sum = maxDur(max, d), sum+d
				}
				slowest += max
				runtime.GC()
				together += readAndDecode(b, all)
			}
			b.ReportMetric(float64(slowest.Milliseconds())/float64(b.N), "slowest-ms/op")
			b.ReportMetric(float64(sum.Milliseconds())/float64(b.N), "sum-ms/op")
			b.ReportMetric(float64(together.Milliseconds())/float64(b.N), "parallel-ms/op")
			b.ReportMetric(float64(together)/float64(slowest), "ratio")
			b.ReportMetric(float64(together)/float64(sum), "of-sum")
		})
	}
}

func maxDur(a, b time.Duration) time.Duration {
	if a > b {
		return a
	}
	return b
}
