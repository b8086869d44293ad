// Command lockstep audits Terraform and OpenTofu environments against each
// other. This package only wires command-line flags to the check package and
// maps results to exit codes; run takes its writers and returns the code so
// tests can drive the real CLI in-process.
package main

import (
	"io"
	"os"

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
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
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
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.AddCommand(newCheckCommand(stdout, stderr, &code), newReportCommand(args, stdout, stderr, &code), newTestCommand(stdout, &code), newRulesCommand(stdout), newVersionCommand(stdout))
	if err := root.Execute(); err != nil {
		printError(stderr, err)
		return exitError
	}
	return code
}
