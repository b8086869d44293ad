package output

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/pkg/twwidth"
	"github.com/olekukonko/tablewriter/tw"

	"github.com/lockstep-iac/lockstep/report"
)

// Text renders findings for a person: a verdict line, then one table per
// rule, each row an address and what differs. Addresses are never broken
// (they are pasted into `terraform state show`): the Finding column wraps
// instead, and a table is wider than Width only when an address leaves
// the Finding column less than minFindingWidth. A finding that differs in
// several attributes lists them, up to MaxTextAttributes.
type Text struct {
	// Width is the line width the tables fit, DefaultTextWidth when zero.
	// The caller decides it (cmd/lockstep: the terminal's width when
	// standard output is one), so the renderer's output is deterministic.
	Width int
}

// DefaultTextWidth is the text format's width when it does not go to a
// terminal: files, pipes, CI logs and tests.
const DefaultTextWidth = 100

// MaxTextAttributes bounds the differing attributes (or references) a
// finding lists in the text format; beyond it a line says how many more
// there are, and the json and markdown formats list them all.
const MaxTextAttributes = 20

// minFindingWidth keeps the Finding column readable beside a long address.
const minFindingWidth = 30

// maxCell bounds a finding's text in the table: room for a message quoting
// two shortened values (report.MaxTextBytes each) in full, while a
// message of megabytes is cut.
const maxCell = 4 * report.MaxTextBytes

// Format writes the text report.
func (t Text) Format(w io.Writer, r *report.Report) error {
	width := t.Width
	if width <= 0 {
		width = DefaultTextWidth
	}
	if _, err := fmt.Fprintln(w, Verdict(r)); err != nil {
		return err
	}
	// How each environment read from a working directory was read; files
	// add no line, so their output is as it always was.
	for _, e := range r.Environments {
		if e.ReadFrom != nil {
			if _, err := fmt.Fprintf(w, "%s: %s\n", Printable(e.Name), Printable(e.ReadFrom.Line())); err != nil {
				return err
			}
		}
	}
	envs := r.EnvironmentNames()
	for _, g := range r.ByRule() {
		if len(g.Findings) == 0 {
			continue
		}
		if _, err := fmt.Fprintf(w, "\n%s (%s)\n", Printable(g.Rule.ID), groupCounts(g.Summary)); err != nil {
			return err
		}
		addrs := make([]string, len(g.Findings))
		addrWidth := 0
		for i, f := range g.Findings {
			addrs[i] = Printable(textAddress(f, g.Rule))
			addrWidth = max(addrWidth, twwidth.Width(addrs[i]))
		}
		findingWidth := max(width-addrWidth-7, minFindingWidth)
		tbl := tablewriter.NewTable(w,
			tablewriter.WithHeaderAutoFormat(tw.Off),
			tablewriter.WithHeader([]string{"Address", "Finding"}),
			tablewriter.WithRendition(tw.Rendition{Symbols: tw.NewSymbols(tw.StyleASCII)}),
			tablewriter.WithConfig(tablewriter.Config{
				// The cells are wrapped here, where an address is known
				// from the words around it.
				Row:    tw.CellConfig{Formatting: tw.CellFormatting{AutoWrap: tw.WrapNone}, Alignment: tw.CellAlignment{Global: tw.AlignLeft}},
				Header: tw.CellConfig{Formatting: tw.CellFormatting{AutoWrap: tw.WrapNone}, Alignment: tw.CellAlignment{Global: tw.AlignLeft}},
			}),
		)
		for i, f := range g.Findings {
			if err := tbl.Append([]string{addrs[i], findingCell(f, envs, findingWidth)}); err != nil {
				return err
			}
		}
		if err := tbl.Render(); err != nil {
			return err
		}
	}
	return nil
}

// textAddress is what the Address column shows for a finding.
func textAddress(f report.Finding, rule report.Rule) string {
	if rule.Scope == report.ScopeEnvironment && len(f.Environments) > 0 {
		// A per-environment policy's finding: which environment's plan
		// it was found in is part of where it is.
		where := "(" + strings.Join(f.Environments, ", ") + ")"
		if f.Address != "" {
			return f.Address + " " + where
		}
		return where
	}
	switch {
	case f.Address != "":
		return f.Address
	case f.Location != nil:
		// Only lockstep.hcl findings (waivers) have no address; the one
		// config file of the run is named by its base name.
		return fmt.Sprintf("%s:%d", filepath.Base(f.Location.File), f.Location.Line)
	}
	return "(environment)"
}

// findingCell is the Finding column of a row, wrapped to width: the
// message, the other differing attributes, then one line per location.
func findingCell(f report.Finding, envs []string, width int) string {
	text := f.Message
	if f.Waived && f.Waiver != nil {
		text = fmt.Sprintf("WAIVED by %s (%s, until %s): %s", f.Waiver.Name, f.Waiver.Owner, f.Waiver.Expires, text)
	}
	// Escaped before the lines below are added: their line breaks are the
	// table's, the message's are its own (and stay).
	lines := []string{wrapWords(Printable(report.Shorten(text, maxCell)), width, "")}
	for _, l := range moreLines(f, envs) {
		lines = append(lines, wrapWords(Printable(l), width, "  "))
	}
	for _, l := range relatedLines(f) {
		lines = append(lines, wrapWords(Printable(l), width, "  "))
	}
	// A location breaks before its environment, and its path only when
	// the path is wider than the column (after a slash).
	for i, at := range locationLines(f.Locations) {
		// A value location (report.Location.Variable) says which
		// variable it sets: that line is where the fix usually goes.
		prefix := "at "
		if v := f.Locations[i].Variable; v != "" {
			prefix = "var." + v + " set at "
		}
		lines = append(lines, wrapWords(prefix+Printable(at), width, "   "))
	}
	return strings.Join(lines, "\n")
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
