package output

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/tw"

	"github.com/lockstep-iac/lockstep/report"
)

// Text renders findings for a terminal: a verdict line, then one table per
// rule, each row an address and what differs, wrapped to Width columns.
type Text struct {
	Width int
}

// Format writes the text report.
// maxCell bounds a finding's text in the table: room for a message quoting
// two shortened values (report.MaxTextBytes each) in full, while a
// message of megabytes, whose word wrap is quadratic, is cut.
const maxCell = 4 * report.MaxTextBytes

func (t Text) Format(w io.Writer, r *report.Report) error {
	width := t.Width
	if width <= 0 {
		width = 80
	}
	if _, err := fmt.Fprintln(w, Verdict(r)); err != nil {
		return err
	}
	if len(r.Findings) == 0 {
		return nil
	}
	addrWidth := width * 2 / 5
	findingWidth := width - addrWidth - 7
	for _, g := range r.ByRule() {
		if len(g.Findings) == 0 {
			continue
		}
		if _, err := fmt.Fprintf(w, "\n%s (%s)\n", Printable(g.Rule.ID), groupCounts(g.Summary)); err != nil {
			return err
		}
		tbl := tablewriter.NewTable(w,
			tablewriter.WithHeaderAutoFormat(tw.Off),
			tablewriter.WithHeader([]string{"Address", "Finding"}),
			tablewriter.WithRendition(tw.Rendition{Symbols: tw.NewSymbols(tw.StyleASCII)}),
			tablewriter.WithConfig(tablewriter.Config{
				MaxWidth: width,
				Row: tw.CellConfig{
					Formatting:   tw.CellFormatting{AutoWrap: tw.WrapNormal},
					Alignment:    tw.CellAlignment{Global: tw.AlignLeft},
					ColMaxWidths: tw.CellWidth{PerColumn: tw.Mapper[int, int]{0: addrWidth, 1: findingWidth}},
				},
				Header: tw.CellConfig{Alignment: tw.CellAlignment{Global: tw.AlignLeft}},
			}),
		)
		for _, f := range g.Findings {
			addr := f.Address
			switch {
			case addr == "" && f.Location != nil:
				// Only lockstep.hcl findings (waivers) have no address; the
				// one config file of the run is named by its base name.
				addr = fmt.Sprintf("%s:%d", filepath.Base(f.Location.File), f.Location.Line)
			case addr == "":
				addr = "(environment)"
			}
			text := f.Message
			if f.Waived && f.Waiver != nil {
				text = fmt.Sprintf("WAIVED by %s (%s, until %s): %s", f.Waiver.Name, f.Waiver.Owner, f.Waiver.Expires, text)
			}
			// Escaped before the locations are added: their line breaks
			// are the table's, the message's are its own (and stay).
			addr, text = Printable(addr), Printable(report.Shorten(text, maxCell))
			// One line per location, broken after slashes: a source path
			// has no spaces for the table's word wrap.
			for _, at := range locationLines(f.Locations) {
				text += "\n" + wrapAfter("at "+Printable(at), findingWidth, "/")
			}
			if err := tbl.Append([]string{wrapAddress(addr, addrWidth), text}); err != nil {
				return err
			}
		}
		if err := tbl.Render(); err != nil {
			return err
		}
	}
	return nil
}

// Verdict is the one-line result that the text and github formats print:
// "lockstep: 2 errors, 0 warnings, 0 waived across staging, production".
// Environment names are escaped (Printable).
func Verdict(r *report.Report) string {
	names := r.EnvironmentNames()
	for i, n := range names {
		names[i] = Printable(n)
	}
	if len(r.Findings) == 0 {
		return fmt.Sprintf("lockstep: no findings: %s are in parity", strings.Join(names, ", "))
	}
	return fmt.Sprintf("lockstep: %s across %s", summaryText(r.Summary), strings.Join(names, ", "))
}

func summaryText(s report.Summary) string {
	return fmt.Sprintf("%s, %s, %d waived", plural(s.Errors, "error"), plural(s.Warnings, "warning"), s.Waived)
}

func plural(n int, word string) string {
	return fmt.Sprintf("%d %s", n, pluralWord(n, word))
}

// wrapAddress breaks a long Terraform address after its dots, which a
// word-wrapping table cannot do since addresses have no spaces.
func wrapAddress(addr string, width int) string {
	return wrapAfter(addr, width, ".")
}

// wrapAfter breaks s into lines of at most width bytes after sep (or
// anywhere, for a part longer than width).
func wrapAfter(s string, width int, sep string) string {
	if len(s) <= width {
		return s
	}
	var lines []string
	line := ""
	for _, part := range strings.SplitAfter(s, sep) {
		for len(part) > width {
			if line != "" {
				lines = append(lines, line)
				line = ""
			}
			lines = append(lines, part[:width])
			part = part[width:]
		}
		if len(line)+len(part) > width {
			lines = append(lines, line)
			line = ""
		}
		line += part
	}
	if line != "" {
		lines = append(lines, line)
	}
	return strings.Join(lines, "\n")
}

// groupCounts renders a rule group's size: "error, 2" when its findings
// are all of one kind (error, warning or waived), "1 error, 1 warning" when
// they are mixed (a rule may lower some findings, as expired-waiver does
// for stale waivers, and a waiver may cover some of a rule's findings).
func groupCounts(s report.Summary) string {
	kinds := []struct {
		n    int
		word string
	}{{s.Errors, "error"}, {s.Warnings, "warning"}, {s.Waived, "waived"}}
	var parts []string
	for _, k := range kinds {
		if k.n > 0 {
			part := plural(k.n, k.word)
			if k.word == "waived" {
				part = fmt.Sprintf("%d waived", k.n)
			}
			parts = append(parts, part)
		}
	}
	if len(parts) == 1 {
		for _, k := range kinds {
			if k.n > 0 {
				return fmt.Sprintf("%s, %d", k.word, k.n)
			}
		}
	}
	return strings.Join(parts, ", ")
}

// locationLines renders a finding's source positions as file:line, naming
// the environments when there is more than one position (a directory per
// environment): "envs/staging/main.tf:12 (staging)".
func locationLines(locs []report.Location) []string {
	lines := make([]string, 0, len(locs))
	for _, l := range locs {
		p := fmt.Sprintf("%s:%d", l.File, l.Line)
		if len(locs) > 1 && len(l.Environments) > 0 {
			p += " (" + strings.Join(l.Environments, ", ") + ")"
		}
		lines = append(lines, p)
	}
	return lines
}
