// Package output renders a report.Report in each output format, one file
// per format: text (its wrapping in text_wrap.go, its attribute lists in
// text_details.go), json, sarif (its object model in sarif_model.go),
// junit, github and markdown (its layout in markdown.go, its cells in
// markdown_cells.go, its escaping in markdown_escape.go). Renderers only turn a
// report into bytes: they read no file and write none but the io.Writer
// they are given, so the caller (check.WriteOutputs) can write every
// destination as one transaction. Everything taken from a report is
// escaped for where it goes (escape.go).
package output

import (
	"io"

	"github.com/lockstep-iac/lockstep/internal/registry"
	"github.com/lockstep-iac/lockstep/report"
)

// Formatter renders a report in one output format.
type Formatter interface {
	Format(w io.Writer, r *report.Report) error
}

// formatters is the explicit registry of output formats.
var formatters = registry.Registry[Formatter]{
	"github":   GitHub{},
	"json":     JSON{},
	"junit":    JUnit{},
	"markdown": Markdown{},
	"sarif":    SARIF{},
	"text":     Text{},
}

// Formats lists the format names, sorted.
func Formats() []string { return formatters.Names() }

// Lookup returns the formatter for a name.
func Lookup(name string) (Formatter, error) { return formatters.Lookup(name) }
