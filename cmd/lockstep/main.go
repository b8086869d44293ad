// Command lockstep audits Terraform and OpenTofu environments against each
// other. This package only wires command-line flags to the check package and
// maps results to exit codes; run takes its writers and returns the code so
// tests can drive the real CLI in-process.
package main

import (
	"io"
	"os"
	"runtime/debug"
	"strings"

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
	if gc, ok := gcSettings(os.Args[1:], os.Getenv); ok {
		debug.SetGCPercent(gc.percent)
		if gc.limit > 0 {
			debug.SetMemoryLimit(gc.limit)
		}
	}
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// gcSetting is a GC target (GOGC's percent) and a soft memory limit
// (GOMEMLIMIT's bytes; 0 for none).
type gcSetting struct {
	percent int
	limit   int64
}

// oneShotGC is the garbage collector's target for a check: it holds its
// decoded inputs until it ends, so the heap's peak is what matters, and
// collecting at half the live heap's growth instead of Go's default (all
// of it) lowers the peak by about 15% for about 5% more CPU (10k x 2
// synthetic plans; see docs/performance.md). A memory limit does not help:
// the heap is live, and a limit near it makes the collector thrash.
var oneShotGC = gcSetting{percent: 50}

// smallGC is check's on small inputs: the run is mostly compiling the
// rules, whose garbage a collector at 50% would chase from a 2 MB heap on;
// at 400 a scenario-sized check runs 6–9 ms (7–9%) faster, measured side
// by side (GOGC=400 against the default, 31 runs each, median).
var smallGC = gcSetting{percent: 400}

// smallInputs is the total size of file inputs below which check uses
// smallGC: its live heap then stays under a few times this.
const smallInputs = 16 << 20

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
		case "check":
			if small(envPaths(args[1:]), smallInputs) {
				return smallGC, true
			}
		}
	}
	return oneShotGC, true
}

// envPaths are the paths of check's --env NAME=PATH flags, as far as they
// can be told before the flags are parsed.
func envPaths(args []string) []string {
	var paths []string
	for i := 0; i < len(args); i++ {
		v, ok := strings.CutPrefix(args[i], "--env=")
		if !ok && args[i] == "--env" && i+1 < len(args) {
			i++
			v, ok = args[i], true
		}
		if _, path, found := strings.Cut(v, "="); ok && found {
			paths = append(paths, path)
		}
	}
	return paths
}

// small reports whether paths name regular files of less than limit bytes
// in all; none, or anything else (a directory, a workspace, a missing file),
// is not small.
func small(paths []string, limit int64) bool {
	var total int64
	for _, p := range paths {
		fi, err := os.Stat(p)
		if err != nil || !fi.Mode().IsRegular() {
			return false
		}
		total += fi.Size()
	}
	return len(paths) > 0 && total < limit
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
