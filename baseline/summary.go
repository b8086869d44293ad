package baseline

import (
	"fmt"
	"strings"

	"github.com/lockstep-iac/lockstep/output"
)

// Summary tells the person who ran init what the file declares, which
// guesses to check, and what was left out because it must be fixed, with
// where the file went (path, or "" for standard output).
func (r *Result) Summary(path string) string {
	var b strings.Builder
	var diffs, only int
	for _, d := range r.Declarations {
		if d.Kind == "only_in" {
			only++
		} else {
			diffs++
		}
	}
	where := "standard output"
	if path != "" {
		where = path
	}
	if diffs+only == 0 {
		fmt.Fprintf(&b, "lockstep init: wrote %s: %d environments and their promotion order; no difference to declare.\n", output.Printable(where), len(r.Environments))
	} else {
		fmt.Fprintf(&b, "lockstep init: wrote %s: %d environments, %d expect_difference and %d only_in %s, each with a TODO reason to write.\n",
			output.Printable(where), len(r.Environments), diffs, only, plural(diffs+only, "block", "blocks"))
	}
	for _, e := range r.Environments {
		for _, a := range e.Aliases {
			fmt.Fprintf(&b, "  %s: alias %s\n", output.Printable(e.Name), output.Printable(a.guess()))
		}
	}
	if len(r.Remaining) == 0 {
		b.WriteString("Nothing else remains: a check with this file reports only the TODO reasons.\n")
		b.WriteString("Next: review each block and write its reason, then run lockstep check with the same --env flags.\n")
		return b.String()
	}
	fmt.Fprintf(&b, "Not declared, to fix rather than declare (%d %s that a check with this file still reports):\n", len(r.Remaining), plural(len(r.Remaining), "finding", "findings"))
	for _, f := range r.Remaining {
		addr := f.Address
		if addr != "" {
			addr = " " + addr
		}
		fmt.Fprintf(&b, "  %s (%s)%s: %s\n", f.Rule, f.Severity, output.Printable(addr), output.Printable(f.Message))
	}
	b.WriteString("Next: fix those, review each block and write its reason, then run lockstep check with the same --env flags.\n")
	return b.String()
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
