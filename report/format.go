package report

import (
	"fmt"
	"io"
	"sort"
	"strings"
)

// Formatter renders a report in one output format.
type Formatter interface {
	Format(w io.Writer, r *Report) error
}

// formatters is the explicit registry of output formats.
var formatters = map[string]Formatter{
	"json": JSON{},
	"text": Text{Width: 80},
}

// Formats lists the format names, sorted.
func Formats() []string {
	names := make([]string, 0, len(formatters))
	for n := range formatters {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Lookup returns the formatter for a name.
func Lookup(name string) (Formatter, error) {
	f, ok := formatters[name]
	if !ok {
		return nil, fmt.Errorf("unknown format %q (available: %s)", name, strings.Join(Formats(), ", "))
	}
	return f, nil
}
