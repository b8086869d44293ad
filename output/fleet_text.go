package output

import (
	"fmt"
	"io"
	"strings"

	"github.com/lockstep-iac/lockstep/evidence"
)

// FleetText is the report on a terminal: the summary and the parity
// matrix, one line per stack; the other formats hold the rest.
type FleetText struct{}

// FormatFleet writes the summary and the matrix.
func (FleetText) FormatFleet(w io.Writer, d *evidence.Document, _ string) error {
	var b strings.Builder
	s := d.Summary
	fmt.Fprintf(&b, "lockstep report as of %s: %d stacks: %d in parity, %d with findings, %s, %d not comparable\n",
		d.AsOf, s.Stacks, s.InParity, s.WithFindings, plural(s.InputError, "input error"), s.NotComparable)
	fmt.Fprintf(&b, "findings: %d errors, %d warnings, %d waived; waivers: %d active, %d expiring, %d expired, %d stale\n",
		s.Findings.Errors, s.Findings.Warnings, s.Findings.Waived, s.Waivers.Active, s.Waivers.Expiring, s.Waivers.Expired, s.Waivers.Stale)
	if t := s.Trend; t != nil {
		fmt.Fprintf(&b, "since %s: %d new, %d persisting, %d resolved\n", t.Previous, t.New, t.Persisting, t.Resolved)
	}
	for _, w := range s.Expiring {
		fmt.Fprintf(&b, "waiver %s of %s (%s) expires %s, in %d days\n", Printable(w.Name), Printable(w.Stack), Printable(w.Owner), w.Expires, w.DaysLeft)
	}
	if len(d.Matrix) > 0 {
		b.WriteString("\n")
		width := len("stack")
		for _, r := range d.Matrix {
			width = max(width, len(Printable(r.Stack)))
		}
		fmt.Fprintf(&b, "%-*s  %-14s", width, "stack", "status")
		for _, p := range d.Pairs {
			fmt.Fprintf(&b, "  %-22s", Printable(p.From)+" -> "+Printable(p.To))
		}
		b.WriteString("\n")
		for _, r := range d.Matrix {
			fmt.Fprintf(&b, "%-*s  %-14s", width, Printable(r.Stack), r.Status)
			for _, p := range d.Pairs {
				fmt.Fprintf(&b, "  %-22s", cellText(r, p))
			}
			b.WriteString("\n")
		}
	}
	for _, st := range d.Stacks {
		if st.Reason != "" {
			fmt.Fprintf(&b, "\n%s: %s: %s", Printable(st.Name), st.Status, Printable(st.Reason))
		}
	}
	if !strings.HasSuffix(b.String(), "\n") {
		b.WriteString("\n")
	}
	_, err := io.WriteString(w, trimLines(b.String()))
	return err
}

// cellText is one matrix cell in words: "ok", "2 errors", "1 waived".
func cellText(r evidence.MatrixRow, p evidence.Pair) string {
	for _, c := range r.Cells {
		if c.Pair != p {
			continue
		}
		switch c.Status {
		case evidence.StatusParity:
			return "ok"
		case evidence.StatusInputError:
			return "input error"
		}
		var parts []string
		if c.Errors > 0 {
			parts = append(parts, plural(c.Errors, "error"))
		}
		if c.Warnings > 0 {
			parts = append(parts, plural(c.Warnings, "warning"))
		}
		if c.Waived > 0 {
			parts = append(parts, fmt.Sprintf("%d waived", c.Waived))
		}
		return strings.Join(parts, ", ")
	}
	return "-"
}

// trimLines drops the spaces the columns leave at the ends of lines.
func trimLines(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.Join(lines, "\n")
}
