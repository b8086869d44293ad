// Package ruledoc renders the built-in rules' METADATA for people: a table
// for the terminal, JSON for tools, and the Markdown of docs/rules.md. The
// rules' # METADATA blocks are the one source of their documentation, so the
// reference page is generated from them rather than written beside them,
// where it would drift from what the binary actually enforces.
package ruledoc

import (
	"io"
	"sort"

	"github.com/lockstep-iac/lockstep/internal/registry"
	"github.com/lockstep-iac/lockstep/policy"
)

// Formatter renders the rule list in one output format.
type Formatter interface {
	Format(w io.Writer, rules []policy.Rule) error
}

// formatters is the explicit registry of output formats.
var formatters = registry.Registry[Formatter]{
	"json": JSON{},
	// docs/rules.md sits one directory below the repository root, beside
	// rules/, and is the only place this Markdown is meant to live.
	"markdown": Markdown{SourceDir: "../rules"},
	"table":    Table{Width: 80},
}

// Formats lists the format names, sorted.
func Formats() []string { return formatters.Names() }

// Lookup returns the formatter for a name.
func Lookup(name string) (Formatter, error) { return formatters.Lookup(name) }

// sorted returns the rules by id without reordering the caller's slice, so
// every format lists them in the same order whatever it is given.
func sorted(rules []policy.Rule) []policy.Rule {
	out := append([]policy.Rule{}, rules...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}
