package config

import (
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// Error reports everything wrong with a config file. It keeps the full set
// of HCL diagnostics, not just the first, so a user can fix the file in one
// pass, and it keeps the parsed sources so they can be shown in context.
type Error struct {
	// Filename is the file that was parsed; it labels diagnostics that have
	// no source position.
	Filename string
	// Diagnostics are sorted by position.
	Diagnostics hcl.Diagnostics
	// Files holds the parsed sources by filename, as WriteText and
	// hcl.NewDiagnosticTextWriter need them.
	Files map[string]*hcl.File
}

func newError(filename string, diags hcl.Diagnostics, files map[string]*hcl.File) *Error {
	diags = append(hcl.Diagnostics(nil), diags...)
	sort.SliceStable(diags, func(i, j int) bool {
		a, b := diags[i].Subject, diags[j].Subject
		switch {
		case a == nil || b == nil:
			return a == nil && b != nil
		case a.Filename != b.Filename:
			return a.Filename < b.Filename
		default:
			return a.Start.Byte < b.Start.Byte
		}
	})
	if len(diags) > maxDiagnostics {
		more := len(diags) - maxDiagnostics
		diags = append(diags[:maxDiagnostics:maxDiagnostics], &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Too many problems",
			Detail:   strconv.Itoa(more) + " more problems are not shown; fix these first.",
		})
	}
	return &Error{Filename: filename, Diagnostics: diags, Files: files}
}

// maxDiagnostics bounds what one error reports: a mangled file (512 nested
// blocks, each "not expected here") would otherwise print a line per
// problem, and rendering hundreds of snippets of deeply nested blocks takes
// seconds.
const maxDiagnostics = 50

// Error renders one line per diagnostic as FILE:LINE:COLUMN: SUMMARY; DETAIL,
// the form editors and CI log scanners recognise.
func (e *Error) Error() string {
	var b strings.Builder
	for i, d := range e.Diagnostics {
		if i > 0 {
			b.WriteByte('\n')
		}
		if d.Subject != nil {
			name := d.Subject.Filename
			if name == "" {
				name = e.Filename
			}
			b.WriteString(name)
			b.WriteByte(':')
			b.WriteString(strconv.Itoa(d.Subject.Start.Line))
			b.WriteByte(':')
			b.WriteString(strconv.Itoa(d.Subject.Start.Column))
		} else {
			b.WriteString(e.Filename)
		}
		b.WriteString(": ")
		b.WriteString(oneLine(d.Summary))
		if d.Detail != "" {
			b.WriteString("; ")
			b.WriteString(oneLine(d.Detail))
		}
	}
	return b.String()
}

// Unwrap exposes the diagnostics, so errors.As(err, &diags) works for
// callers that merge them with diagnostics of their own.
func (e *Error) Unwrap() error { return e.Diagnostics }

// WriteText renders the diagnostics with source snippets, 80 columns wide
// and without colour, for a human reading a terminal or a CI log.
func (e *Error) WriteText(w io.Writer) error {
	return hcl.NewDiagnosticTextWriter(w, e.Files, 80, false).WriteDiagnostics(e.Diagnostics)
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
