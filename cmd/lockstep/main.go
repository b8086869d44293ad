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
)

// Exit codes: 0 nothing at or above --fail-on, 1 findings at or above it,
// 2 usage, input, config or policy error.
const (
	exitOK       = 0
	exitFindings = 1
	exitError    = 2
)

func main() {
	if percent, ok := gcPercent(os.Args[1:], os.Getenv); ok {
		debug.SetGCPercent(percent)
	}
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// oneShotGC is the garbage collector's target for a run: a check holds its
// decoded inputs until it ends, so the heap's peak is what matters, and
// collecting at half the live heap's growth instead of Go's default (all
// of it) lowers the peak by about 15% for about 5% more CPU (10k x 2
// synthetic plans; see docs/performance.md). A memory limit does not help:
// the heap is live, and a limit near it makes the collector thrash.
const oneShotGC = 50

// gcPercent returns the GC target to set for the command args runs, unless
// the user chose one with GOGC or GOMEMLIMIT, which then win. `report` and
// `serve` keep Go's default: their heap is a few stacks or requests in
// flight, each freed when done, not one live heap that only grows; there
// collecting at half the growth costs CPU and saves little
// (BenchmarkReport/50x2x1000: 7.8 s at 50, 6.5 s at 100, peak RSS 105 and
// 128 MB).
func gcPercent(args []string, getenv func(string) string) (int, bool) {
	if getenv("GOGC") != "" || getenv("GOMEMLIMIT") != "" {
		return 0, false
	}
	if len(args) > 0 && (args[0] == "report" || args[0] == "serve") {
		return 0, false
	}
	return oneShotGC, true
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
