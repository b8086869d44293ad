package output

import (
	"fmt"
	"io"
	"strings"

	"github.com/lockstep-iac/lockstep/evidence"
)

// GitHubCommentLimit is the size of the largest comment GitHub accepts, in
// characters; the Markdown report stays within it.
const GitHubCommentLimit = 65536

// FleetMarkdown is the report for a wiki page or an issue: the summary,
// the matrix, the fleet groups, each stack's findings, the waivers and the
// evidence, cut to GitHubCommentLimit with a pointer to the full report.
type FleetMarkdown struct {
	// Limit overrides GitHubCommentLimit (tests); zero means the limit.
	Limit int
}

// FormatFleet writes the Markdown report.
func (m FleetMarkdown) FormatFleet(w io.Writer, d *evidence.Document, digest string) error {
	limit := m.Limit
	if limit <= 0 {
		limit = GitHubCommentLimit
	}
	head, sections := fleetMarkdownSections(d)
	footer := fmt.Sprintf("\n---\nlockstep %s (OPA %s), as of %s. Evidence JSON sha256: `%s`\n", mdText(d.Tool.Version), mdText(d.Tool.OPAVersion), d.AsOf, digest)
	cut := "\n**The report is cut here to fit a GitHub comment: the full report is in the HTML and JSON files of this run (`lockstep report --format html=report.html --format json=report.json`).**\n"
	var b strings.Builder
	b.WriteString(head)
	for _, s := range sections {
		if len([]rune(b.String()))+len([]rune(s))+len([]rune(footer)) > limit {
			// Cut this section at a line so that the cut notice fits.
			room := limit - len([]rune(b.String())) - len([]rune(footer)) - len([]rune(cut))
			b.WriteString(cutLines(s, room))
			b.WriteString(cut)
			break
		}
		b.WriteString(s)
	}
	b.WriteString(footer)
	_, err := io.WriteString(w, b.String())
	return err
}

// cutLines is the longest run of whole lines of s within room characters.
func cutLines(s string, room int) string {
	if room <= 0 {
		return ""
	}
	r := []rune(s)
	if len(r) <= room {
		return s
	}
	t := string(r[:room])
	if i := strings.LastIndexByte(t, '\n'); i >= 0 {
		return t[:i+1]
	}
	return ""
}

// fleetMarkdownSections are the report's parts, most important first: the
// head (summary and matrix) is always kept whole.
func fleetMarkdownSections(d *evidence.Document) (string, []string) {
	var h strings.Builder
	s := d.Summary
	fmt.Fprintf(&h, "# lockstep report, as of %s\n\n", d.AsOf)
	fmt.Fprintf(&h, "**%d stacks**: %d in parity, %d with findings, %s, %d not comparable. ", s.Stacks, s.InParity, s.WithFindings, plural(s.InputError, "input error"), s.NotComparable)
	fmt.Fprintf(&h, "Findings: %d errors, %d warnings, %d waived. ", s.Findings.Errors, s.Findings.Warnings, s.Findings.Waived)
	fmt.Fprintf(&h, "Waivers: %d active, %d expiring within %d days, %d expired, %d stale.\n", s.Waivers.Active, s.Waivers.Expiring, d.Parameters.ExpiryWarningDays, s.Waivers.Expired, s.Waivers.Stale)
	if t := s.Trend; t != nil {
		fmt.Fprintf(&h, "\nSince the report of %s: %d new, %d persisting, %d resolved.\n", t.Previous, t.New, t.Persisting, t.Resolved)
	}
	if len(s.ByRule) > 0 {
		h.WriteString("\n| Rule | Severity | Errors | Warnings | Waived |\n|---|---|---:|---:|---:|\n")
		for _, r := range s.ByRule {
			fmt.Fprintf(&h, "| %s | %s | %d | %d | %d |\n", mdText(r.Rule), r.Severity, r.Errors, r.Warnings, r.Waived)
		}
	}
	h.WriteString("\n## Parity matrix\n\n| Stack | Status |")
	for _, p := range d.Pairs {
		fmt.Fprintf(&h, " %s → %s |", mdText(p.From), mdText(p.To))
	}
	h.WriteString("\n|---|---|" + strings.Repeat("---|", len(d.Pairs)) + "\n")
	for _, r := range d.Matrix {
		fmt.Fprintf(&h, "| %s | %s |", mdText(r.Stack), statusMark(r.Status))
		for _, p := range d.Pairs {
			fmt.Fprintf(&h, " %s |", cellText(r, p))
		}
		h.WriteString("\n")
	}
	var sections []string
	if len(d.Groups) > 0 {
		var g strings.Builder
		g.WriteString("\n## Divergences across the fleet\n\n| Rule | Address | Attribute | Environments | Stacks |\n|---|---|---|---|---|\n")
		for _, gr := range d.Groups {
			fmt.Fprintf(&g, "| %s | %s | %s | %s | %d of %d: %s |\n", mdText(gr.Rule), mdAddress(gr.Address), mdText(gr.Attribute),
				mdText(strings.Join(gr.Environments, ", ")), len(gr.Stacks), d.Summary.Stacks, mdText(strings.Join(gr.Stacks, ", ")))
		}
		sections = append(sections, g.String())
	}
	for _, st := range d.Stacks {
		sections = append(sections, stackMarkdown(st))
	}
	sections = append(sections, evidenceMarkdown(d))
	return h.String(), sections
}

func stackMarkdown(st evidence.Stack) string {
	var b strings.Builder
	fmt.Fprintf(&b, "\n## Stack %s: %s\n\n", mdText(st.Name), statusMark(st.Status))
	if st.Reason != "" {
		fmt.Fprintf(&b, "%s\n\n", mdText(st.Reason))
	}
	fmt.Fprintf(&b, "Environments: %s.\n", mdText(strings.Join(st.Environments, " → ")))
	if len(st.Findings) > 0 {
		b.WriteString("\n| Rule | Severity | Address | Finding | First seen |\n|---|---|---|---|---|\n")
		for _, f := range st.Findings {
			sev := string(f.Severity)
			if f.Waived {
				sev += ", waived"
			}
			seen := f.FirstSeen
			if f.Trend != "" {
				seen += " (" + f.Trend + ")"
			}
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s |\n", mdText(f.Rule), sev, mdAddress(f.Address), mdText(f.Message), seen)
		}
	}
	if len(st.Declared) > 0 {
		b.WriteString("\nDeclared differences:\n\n")
		for _, dd := range st.Declared {
			what := dd.Name
			if dd.Kind == "only_in" {
				what = "only in " + dd.Environment
			}
			if len(dd.Environments) > 0 {
				what += " (for " + strings.Join(dd.Environments, ", ") + ")"
			}
			fmt.Fprintf(&b, "- %s %s %s: %s\n", dd.Kind, mdCode(strings.Join(dd.Resources, ", ")), mdText(what), mdText(dd.Reason))
		}
	}
	if len(st.Waivers) > 0 {
		b.WriteString("\n| Waiver | Rule | Owner | Reason | Ticket | Approved by | Expires | Days left | State |\n|---|---|---|---|---|---|---|---:|---|\n")
		for _, w := range st.Waivers {
			state := w.State
			if w.MissingTicket {
				state += ", no ticket"
			}
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s | %d | %s |\n", mdText(w.Name), mdText(w.Rule), mdText(w.Owner), mdText(w.Reason),
				mdText(w.Ticket), mdText(w.ApprovedBy), w.Expires, w.DaysLeft, state)
		}
	}
	return b.String()
}

func evidenceMarkdown(d *evidence.Document) string {
	var b strings.Builder
	e := d.Evidence
	b.WriteString("\n## Evidence\n\n")
	fmt.Fprintf(&b, "Read %d stacks, %d environments, %d resources. ", e.Counts.Stacks, e.Counts.Environments, e.Counts.Resources)
	if e.Counts.Complete {
		b.WriteString("Nothing was skipped.\n")
	} else {
		b.WriteString("Skipped:\n\n")
		for _, s := range e.Counts.Skipped {
			fmt.Fprintf(&b, "- %s: %s\n", mdText(s.Stack), mdText(s.Reason))
		}
	}
	fmt.Fprintf(&b, "\nRule bundle sha256 `%s`. ", e.RuleBundle.SHA256)
	if e.VCSCommit != "" {
		fmt.Fprintf(&b, "Commit %s. ", mdCode(e.VCSCommit))
	}
	fmt.Fprintf(&b, "Command line: %s.\n", mdCode(strings.Join(d.Parameters.CommandLine, " ")))
	b.WriteString("\n| Stack | Environment | Input | Kind | Size | sha256 | Terraform | Serial | Lineage |\n|---|---|---|---|---:|---|---|---:|---|\n")
	for _, in := range e.Inputs {
		serial := ""
		if in.Serial != nil {
			serial = fmt.Sprint(*in.Serial)
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %d | %s | %s | %s | %s |\n", mdText(in.Stack), mdText(in.Environment), mdCode(in.Path),
			mdText(in.Kind), in.Size, in.SHA256, mdText(in.TerraformVersion), serial, mdText(in.Lineage))
	}
	for _, c := range e.Configs {
		fmt.Fprintf(&b, "\nConfig %s sha256 `%s`.", mdCode(c.Path), c.SHA256)
	}
	if len(e.Configs) > 0 {
		b.WriteString("\n")
	}
	return b.String()
}

func statusMark(s evidence.Status) string {
	switch s {
	case evidence.StatusParity:
		return "✅ in parity"
	case evidence.StatusFindings:
		return "❌ findings"
	case evidence.StatusWaived:
		return "☑️ waived"
	case evidence.StatusInputError:
		return "⚠️ input error"
	}
	return "➖ not comparable"
}

// mdAddress is an address as code, or a dash for a finding about the stack
// as a whole (an expired waiver).
func mdAddress(a string) string {
	if a == "" {
		return "—"
	}
	return mdCode(a)
}
