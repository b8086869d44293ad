package fleet_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/lockstep-iac/lockstep/check"
	"github.com/lockstep-iac/lockstep/fleet"
	"github.com/lockstep-iac/lockstep/internal/synth"
	"github.com/lockstep-iac/lockstep/output"
)

// BenchmarkReport audits a synthetic fleet: N stacks of a staging and a
// production plan of 1,000 resources each (internal/synth, about 11 MB a
// plan). The stacks share one pair of files through hard links, so the
// fleet takes 23 MB of disk instead of 11 GB, but every stack is read,
// parsed, compared and judged on its own, as in a real fleet. It reports
// the process's peak RSS; the bound is 500 stacks in 60 s on two
// cores, under 1 GB.
func BenchmarkReport(b *testing.B) {
	for _, stacks := range []int{10, 50, 500} {
		b.Run(fmt.Sprintf("%dx2x1000", stacks), func(b *testing.B) {
			dir := b.TempDir()
			pair := map[string]string{}
			for _, env := range []string{"staging", "production"} {
				p := filepath.Join(dir, env+".json")
				f, err := os.Create(p)
				if err != nil {
					b.Fatal(err)
				}
				if err := synth.WritePlan(f, synth.Spec{Env: env, Resources: 1000, Divergent: env == "staging"}); err != nil {
					b.Fatal(err)
				}
				f.Close()
				pair[env] = p
			}
			for i := range stacks {
				sd := filepath.Join(dir, "stacks", fmt.Sprintf("s%04d", i))
				if err := os.MkdirAll(sd, 0o755); err != nil {
					b.Fatal(err)
				}
				for env, p := range pair {
					if err := os.Link(p, filepath.Join(sd, env+".json")); err != nil {
						b.Fatal(err)
					}
				}
			}
			b.ResetTimer()
			for b.Loop() {
				d, err := fleet.Run(context.Background(), fleet.Options{
					Patterns: []string{filepath.Join(dir, "stacks", "{stack}", "{env}.json")},
					FailOn:   check.FailOnNever,
				})
				if err != nil {
					b.Fatal(err)
				}
				// 16 seeded divergences per stack (check's benchmark).
				if got := d.Summary.Findings.Errors + d.Summary.Findings.Warnings; got != 16*stacks || d.Summary.Stacks != stacks {
					b.Fatalf("%d stacks, %d findings, want %d and %d", d.Summary.Stacks, got, stacks, 16*stacks)
				}
				if _, err := output.EvidenceJSON(d); err != nil {
					b.Fatal(err)
				}
			}
			var ru syscall.Rusage
			if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err == nil {
				b.ReportMetric(float64(ru.Maxrss)/1024, "peak-RSS-MB")
			}
		})
	}
}
