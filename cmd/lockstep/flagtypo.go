package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/lockstep-iac/lockstep/check"
	"github.com/lockstep-iac/lockstep/internal/suggest"
)

// flagTypo is every command's flag error: an unknown --flag gets the
// closest flag of that command as a suggestion, as a mistyped command gets
// one, or the way to list them.
func flagTypo(c *cobra.Command, err error) error {
	name, ok := strings.CutPrefix(err.Error(), "unknown flag: --")
	if !ok {
		return &check.UsageError{Msg: fmt.Sprintf("%s; %s --help lists the flags", err, c.CommandPath())}
	}
	var names []string
	c.Flags().VisitAll(func(f *pflag.Flag) {
		if !f.Hidden {
			names = append(names, f.Name)
		}
	})
	if best, near := suggest.Closest(name, names); near {
		return &check.UsageError{Msg: fmt.Sprintf("unknown flag --%s; did you mean --%s? (%s --help lists the flags)", name, best, c.CommandPath())}
	}
	return &check.UsageError{Msg: fmt.Sprintf("unknown flag --%s; %s --help lists the flags", name, c.CommandPath())}
}
