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
	var format, output, configPath string
	var popts policy.Options
	cmd := &cobra.Command{
		Use:   "rules",
		Short: "List the built-in rules (and yours, with --policy and --env-policy) with their documentation",
		Example: `  lockstep rules
  lockstep rules --format json
  lockstep rules --format markdown --output docs/rules.md
  lockstep rules --policy policies/
  lockstep rules --env-policy conftest/ --all-namespaces`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			formatter, err := ruledoc.Lookup(format)
			if err != nil {
				return &check.UsageError{Msg: "--format: " + err.Error()}
			}
			// The env_policy block of lockstep.hcl adds its directories, as
			// for check; a config that does not load is reported as check
			// reports it.
			configFile := ""
			if cmd.Flags().Changed("config") {
				configFile = configPath
			}
			if _, err := check.LoadConfig(configFile, nil); err != nil {
				return err
			}
			rules, err := loadRules(cmd.Context(), check.WithEnvPolicy(popts, configFile))
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
	f.StringArrayVar(&popts.PolicyDirs, "policy", nil, "also list the rules of this --policy directory (repeat for more)")
	f.StringArrayVar(&popts.EnvPolicyDirs, "env-policy", nil, "also list the per-environment rules of this --env-policy directory (repeat for more)")
	f.StringArrayVar(&popts.Namespaces, "namespace", nil, "the package of --env-policy rules to list, a name or glob, as check's --namespace (repeat; default main)")
	f.BoolVar(&popts.AllNamespaces, "all-namespaces", false, "list the --env-policy rules of every package, as check's --all-namespaces")
	f.StringVar(&configPath, "config", check.DefaultConfigFile, "lockstep.hcl whose env_policy block adds per-environment rules, as for check (default: ./lockstep.hcl when present)")
	return cmd
}

// loadRules lists the built-in rules and those of the --policy and
// --env-policy directories, as the engine that `check` would build sees
// them. Listing evaluates nothing, so rules that need --policy-allow-net
// to run are listed as well.
func loadRules(ctx context.Context, opts policy.Options) ([]policy.Rule, error) {
	opts.AllowNet = true
	engine, err := policy.New(ctx, opts)
	if err != nil {
		return nil, err
	}
	return engine.Rules(), nil
}
