// Command lockstep audits Terraform and OpenTofu environments against each
// other. This package only wires command-line flags to the check package and
// maps results to exit codes; run takes its writers and returns the code so
// tests can drive the real CLI in-process.
package main

import (
	"io"
	"os"
	"runtime/debug"

	"github.com/spf13/cobra"

	"github.com/lockstep-iac/lockstep/internal/gcphase"
	"github.com/lockstep-iac/lockstep/internal/hugepages"
)

// Exit codes: 0 nothing at or above --fail-on, 1 findings at or above it,
// 2 usage, input, config or policy error.
const (
	exitOK       = 0
	exitFindings = 1
	exitError    = 2
)

func main() {
	if gc, ok := gcSettings(os.Args[1:], os.Getenv); ok {
		debug.SetGCPercent(gc.percent)
		if gc.limit > 0 {
			debug.SetMemoryLimit(gc.limit)
		}
		gcphase.Enable(gc.phases)
	}
	hugepages.Enable(oneShot(os.Args[1:]))
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// gcSetting is a GC target (GOGC's percent), a soft memory limit
// (GOMEMLIMIT's bytes; 0 for none), and whether to collect where the
// phases of reading the inputs end (package gcphase).
type gcSetting struct {
	percent int
	limit   int64
	phases  bool
}

// oneShotGC is the garbage collector's target for a check (and the other
// one-shot commands): collect after four times the live heap's growth
// instead of Go's once. Most of what a check allocates outlives a cycle
// (the decoded inputs it holds to the end), so collecting more often buys
// little memory for much CPU. Measured side by side (docs/performance.md,
// round 6): 10k x 2 synthetic plans, five interleaved runs each, median
// wall 2.75 s, 4.13 user s, 357 MB peak at GOGC 50 (the earlier choice);
// 2.64 s, 3.93 s, 384 MB at 100; 2.43 s, 3.42 s, 390 MB at 400; 50k x 2,
// 11.4–13.5 s and 1.48–1.74 GB at 50, 9.5–9.9 s and 1.79–1.80 GB at 400;
// 1k x 2, 0.27–0.28 s and 60 MB at 50, 0.23–0.24 s and 71 MB at 400; and
// a scenario-sized check, mostly compiling the rules, 6–9 ms faster. A
// memory limit does not help: the heap is live, and a limit near it makes
// the collector thrash.
//
// And a collection where a phase of the reading ends (gcphase): once the
// inputs are decoded, and once the snapshots are built and the readers
// dropped. At four times the growth, that memory was never collected and
// the next phase allocated on top of it. Measured side by side (round 8
// in docs/performance.md): the first, peak RSS 303–314 MB without,
// 263–280 MB with it at 10k x 2, 1.35–1.36 GB against 1.10–1.17 GB at
// 50k x 2, 61–62 against 56–57 MB at 1k x 2; the second, added later,
// 176 MB against 166–171 MB at 10k x 2 and 685 against 600–606 MB at
// 50k x 2; wall times within each other's spread.
var oneShotGC = gcSetting{percent: 400, phases: true}

// fleetGC is report's: its live heap is the stacks in flight, each freed
// when done, so most of what it allocates is garbage soon; collecting
// after four times the live heap's growth takes 7–13% off the CPU
// (BenchmarkReport/50x2x1000, interleaved: 10.82 and 13.01 user s at 100,
// 9.46 and 12.05 at 400, peak RSS 130 and 257–280 MB), and the soft limit
// keeps the peak under a gigabyte when the stacks are large, the collector
// working harder near it instead.
var fleetGC = gcSetting{percent: 400, limit: 768 << 20}

// gcSettings returns the GC settings for the command args runs, unless the
// user chose them with GOGC or GOMEMLIMIT, which then win. `serve`, a
// long-running server, keeps Go's defaults.
func gcSettings(args []string, getenv func(string) string) (gcSetting, bool) {
	if getenv("GOGC") != "" || getenv("GOMEMLIMIT") != "" {
		return gcSetting{}, false
	}
	if len(args) > 0 {
		switch args[0] {
		case "report":
			return fleetGC, true
		case "serve":
			return gcSetting{}, false
		}
	}
	return oneShotGC, true
}

// oneShot reports whether the command args runs reads its inputs once and
// exits: what package hugepages suits. `report` reads many stacks, one
// after another, each freed when done, and `serve` runs until stopped;
// both keep the heap as Go lays it out.
func oneShot(args []string) bool {
	return len(args) == 0 || args[0] != "report" && args[0] != "serve"
}

func run(args []string, stdout, stderr io.Writer) int {
	code := exitOK
	root := &cobra.Command{
		Use:           "lockstep",
		Short:         "Audit Terraform environments against each other",
		Long:          "lockstep reads the plans and state of several environments, matches their resources,\nand flags the differences that break parity between them.",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetFlagErrorFunc(flagTypo)
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.AddCommand(newCheckCommand(stdout, stderr, &code), newInitCommand(stdout, stderr), newReportCommand(args, stdout, stderr, &code), newTestCommand(stdout, &code), newRulesCommand(stdout), newVersionCommand(stdout), newServeCommand(stderr))
	if err := root.Execute(); err != nil {
		printError(stderr, err)
		return exitError
	}
	return code
}
