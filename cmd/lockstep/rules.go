package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/lockstep-iac/lockstep/check"
	"github.com/lockstep-iac/lockstep/policy"
	"github.com/lockstep-iac/lockstep/ruledoc"
)

func newRulesCommand(stdout io.Writer) *cobra.Command {
	var format, output string
	var policies []string
	cmd := &cobra.Command{
		Use:   "rules",
		Short: "List the built-in rules (and yours, with --policy) with their documentation",
		Example: `  lockstep rules
  lockstep rules --format json
  lockstep rules --format markdown --output docs/rules.md
  lockstep rules --policy policies/`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			formatter, err := ruledoc.Lookup(format)
			if err != nil {
				return &check.UsageError{Msg: "--format: " + err.Error()}
			}
			rules, err := loadRules(cmd.Context(), policies)
			if err != nil {
				return err
			}
			var buf bytes.Buffer
			if err := formatter.Format(&buf, rules); err != nil {
				return fmt.Errorf("render %s: %w", format, err)
			}
			if output == "" || output == "-" {
				_, err := stdout.Write(buf.Bytes())
				return err
			}
			if err := os.WriteFile(output, buf.Bytes(), 0o644); err != nil {
				return fmt.Errorf("write rules: %w", err)
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&format, "format", "table", "output format: "+strings.Join(ruledoc.Formats(), ", "))
	f.StringVarP(&output, "output", "o", "", "write the rules to FILE instead of standard output")
	f.StringArrayVar(&policies, "policy", nil, "also list the rules of this --policy directory (repeat for more)")
	return cmd
}

// loadRules lists the built-in rules and those of the --policy directories,
// as the engine that `check` would build sees them. Listing evaluates
// nothing, so rules that need --policy-allow-net to run are listed as well.
func loadRules(ctx context.Context, dirs []string) ([]policy.Rule, error) {
	engine, err := policy.New(ctx, policy.Options{PolicyDirs: dirs, AllowNet: true})
	if err != nil {
		return nil, err
	}
	return engine.Rules(), nil
}
