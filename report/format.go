package report

import (
	"io"

	"github.com/lockstep-iac/lockstep/internal/registry"
)

// Formatter renders a report in one output format.
type Formatter interface {
	Format(w io.Writer, r *Report) error
}

// formatters is the explicit registry of output formats.
var formatters = registry.Registry[Formatter]{
	"github":   GitHub{},
	"json":     JSON{},
	"junit":    JUnit{},
	"markdown": Markdown{},
	"sarif":    SARIF{},
	"text":     Text{Width: 80},
}

// Formats lists the format names, sorted.
func Formats() []string { return formatters.Names() }

// Lookup returns the formatter for a name.
func Lookup(name string) (Formatter, error) { return formatters.Lookup(name) }
