package output

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/lockstep-iac/lockstep/report"
)

// MarkdownCommentLimit is GitHub's limit for the body of a pull-request
// comment, in characters: the default Markdown.Limit.
const MarkdownCommentLimit = 65536

// Markdown renders a report as GitHub-flavoured Markdown, for a
// pull-request comment or a job summary: a verdict line, the inputs, one
// table of what differs (a row per finding and differing attribute, a column
// per environment, so a reviewer compares environments side by side), then
// the evidence and each rule's remediation folded into one <details> block
// per rule, which keeps a long comment scannable.
//
// Row order: unwaived errors, then unwaived warnings, then waived findings
// (rule struck through, marked "(waived)"), each group in report order. One
// table rather than a separate waived section, so the columns line up; waived
// rows last, so what blocks the merge is read first and is the last to be
// dropped when the comment has to be cut.
//
// Everything taken from the report is escaped: table cells cannot gain
// cells or rows, no HTML from finding data reaches the output (our own
// <details>, <summary>, <code> and <br> only), and control characters and
// bidi overrides show as escapes (Printable), in mdText, mdCode and mdHTML.
type Markdown struct {
	// Limit is the most characters the output may have; 0 (or less) means
	// MarkdownCommentLimit. Characters are runes, not bytes, because
	// GitHub's comment limit counts characters. When the report does not
	// fit, table rows and their details are dropped from the end and the
	// last line says how many; the verdict line is always kept (cut to
	// Limit itself when even it does not fit).
	Limit int

	// limitBytes measures Limit in bytes instead: the job summary's 1 MiB
	// limit is on the size of the file.
	limitBytes bool
}

// Cell caps, in runes: a table is for comparing, not for reading a whole
// certificate; the JSON report has every value in full.
const (
	mdValueCap   = 80
	mdAddressCap = 200
	mdMessageCap = 300
	mdDetailCap  = 2000
)

// Format writes the Markdown report.
func (m Markdown) Format(w io.Writer, r *report.Report) error {
	_, err := io.WriteString(w, m.render(r))
	return err
}

// measure is the length Limit bounds.
func (m Markdown) measure(s string) int {
	if m.limitBytes {
		return len(s)
	}
	return utf8.RuneCountInString(s)
}

// mdDoc is a report broken into the pieces the size limit chooses from.
type mdDoc struct {
	header    string   // verdict and inputs lines
	verdict   string   // the verdict line alone
	tableHead string   // header and delimiter rows
	rows      []string // table rows, each ending in "\n"
	rowOf     []int    // rows[i] belongs to findings[rowOf[i]]
	findings  []report.Finding
	entries   []string // details entry per finding
	rules     map[string]report.Rule
	counts    map[string]ruleCounts
}

// render lays out the whole report when it fits the limit, else the largest
// prefix of its rows (with their details) that does, else what is left of
// the verdict.
func (m Markdown) render(r *report.Report) string {
	limit := m.Limit
	if limit <= 0 {
		limit = MarkdownCommentLimit
	}
	d := newMDDoc(r)
	total := len(d.rows)
	if out := d.assemble(total); m.measure(out) <= limit {
		return out
	}
	// The largest prefix of rows that fits; size grows with k (a row is
	// longer than the digits the "more" line loses), so binary search.
	lo, hi := -1, total-1
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if m.measure(d.assemble(mid)) <= limit {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	if lo >= 0 {
		return d.assemble(lo)
	}
	candidates := []string{d.verdict + "\n"}
	if n, f := d.hidden(0); n > 0 {
		candidates = append([]string{d.verdict + "\n\n" + moreLine(n, f) + "\n"}, candidates...)
	}
	for _, out := range candidates {
		if m.measure(out) <= limit {
			return out
		}
	}
	return m.clip(d.verdict, limit-1) + "\n"
}

// clip cuts s to at most n units of the limit's measure, on a rune boundary.
func (m Markdown) clip(s string, n int) string {
	if n <= 0 {
		return ""
	}
	used := 0
	for i, c := range s {
		size := 1
		if m.limitBytes {
			size = utf8.RuneLen(c)
		}
		if used+size > n {
			return s[:i]
		}
		used += size
	}
	return s
}

func newMDDoc(r *report.Report) *mdDoc {
	d := &mdDoc{rules: map[string]report.Rule{}, counts: map[string]ruleCounts{}}
	for _, rule := range r.Rules {
		d.rules[rule.ID] = rule
	}
	envs := r.EnvironmentNames()
	d.verdict = mdVerdict(r, envs)
	d.header = d.verdict + "\n"
	if inputs := mdInputs(r); inputs != "" {
		d.header += inputs + "\n"
	}
	for _, e := range r.Environments {
		if e.ReadFrom != nil {
			d.header += "\n**" + mdText(e.Name) + "** read from " + mdText(e.ReadFrom.Line()) + "\n"
		}
	}

	d.findings = orderForMarkdown(r.Findings)
	var head, delim strings.Builder
	head.WriteString("| Rule | Resource | Attribute |")
	delim.WriteString("|---|---|---|")
	for _, e := range envs {
		head.WriteString(" " + mdText(e) + " |")
		delim.WriteString("---|")
	}
	d.tableHead = head.String() + "\n" + delim.String() + "\n"

	for i, f := range d.findings {
		for j, cells := range mdFindingCells(f, envs) {
			lead := []string{"", ""}
			if j == 0 {
				lead = []string{mdRuleCell(f), mdResourceCell(f)}
			}
			d.rows = append(d.rows, "| "+strings.Join(append(lead, cells...), " | ")+" |\n")
			d.rowOf = append(d.rowOf, i)
		}
		d.entries = append(d.entries, mdEntry(f, envs))
	}
	for _, g := range r.ByRule() {
		if len(g.Findings) > 0 {
			d.counts[g.Rule.ID] = mdCounts(g.Summary, len(g.Findings))
		}
	}
	return d
}

// orderForMarkdown puts unwaived errors first, then the other unwaived
// findings, then the waived ones, keeping report order within each group.
func orderForMarkdown(fs []report.Finding) []report.Finding {
	out := make([]report.Finding, len(fs))
	copy(out, fs)
	rank := func(f report.Finding) int {
		switch {
		case f.Waived:
			return 2
		case f.Severity == report.SeverityError:
			return 0
		}
		return 1
	}
	sort.SliceStable(out, func(i, j int) bool { return rank(out[i]) < rank(out[j]) })
	return out
}

// hidden counts the rows past the first k and the findings not completely
// shown by them (a finding cut after some of its rows counts as not shown).
func (d *mdDoc) hidden(k int) (rows, findings int) {
	rows = len(d.rows) - k
	if rows == 0 {
		return 0, 0
	}
	return rows, len(d.findings) - d.rowOf[k]
}

func moreLine(rows, findings int) string {
	return fmt.Sprintf("… %d more %s (%s) not shown; see the full report (JSON or SARIF artifact)",
		rows, pluralWord(rows, "row"), plural(findings, "finding"))
}

func pluralWord(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}

// assemble lays out the header, the first k table rows, the details of the
// findings those rows show, and the "more" line when rows were left out.
func (d *mdDoc) assemble(k int) string {
	var b strings.Builder
	b.WriteString(d.header)
	if k > 0 {
		b.WriteString("\n")
		b.WriteString(d.tableHead)
		for _, row := range d.rows[:k] {
			b.WriteString(row)
		}
		shown := d.rowOf[k-1] + 1
		// Group the shown findings' entries by rule, rules in order of first
		// appearance, so the blocks follow the table.
		var order []string
		entries := map[string][]string{}
		for i, f := range d.findings[:shown] {
			if _, ok := entries[f.Rule]; !ok {
				order = append(order, f.Rule)
			}
			entries[f.Rule] = append(entries[f.Rule], d.entries[i])
		}
		for _, id := range order {
			b.WriteString("\n")
			b.WriteString(d.ruleOpen(id))
			for _, e := range entries[id] {
				b.WriteString(e)
			}
			b.WriteString("\n</details>\n")
		}
	}
	if rows, findings := d.hidden(k); rows > 0 {
		b.WriteString("\n" + moreLine(rows, findings) + "\n")
	}
	return b.String()
}

func mdVerdict(r *report.Report, envs []string) string {
	if len(r.Findings) == 0 {
		return fmt.Sprintf("### ✅ lockstep: %s are in parity", mdText(strings.Join(envs, ", ")))
	}
	mark := "✅"
	switch {
	case r.Summary.Errors > 0:
		mark = "❌"
	case r.Summary.Warnings > 0:
		mark = "⚠️"
	}
	return fmt.Sprintf("### %s lockstep: %s across %s", mark, summaryText(r.Summary), mdText(strings.Join(envs, " → ")))
}

// mdInputs names each input's kind and Terraform version, the facts a
// reviewer needs to trust the comparison; sources and digests are in the
// JSON report.
func mdInputs(r *report.Report) string {
	var parts []string
	for _, e := range r.Environments {
		var facts []string
		if e.Kind != "" {
			facts = append(facts, mdText(e.Kind))
		}
		if e.TerraformVersion != "" {
			facts = append(facts, "Terraform "+mdText(e.TerraformVersion))
		}
		p := "**" + mdText(e.Name) + "**"
		if len(facts) > 0 {
			p += " (" + strings.Join(facts, ", ") + ")"
		}
		parts = append(parts, p)
	}
	if len(parts) == 0 {
		return ""
	}
	line := "Inputs: " + strings.Join(parts, " · ")
	if r.Tool.Version != "" {
		line += " · " + mdText(r.Tool.Name+" "+r.Tool.Version)
	}
	return line
}

// ruleCounts is a rule's findings in its block's summary: text such as
// "1 error, 2 waived", and the verdict mark of its worst unwaived finding.
type ruleCounts struct{ text, mark string }

func mdCounts(s report.Summary, findings int) ruleCounts {
	errs, warns, waived := s.Errors, s.Warnings, s.Waived
	var c ruleCounts
	var parts []string
	if errs > 0 {
		parts = append(parts, plural(errs, "error"))
		c.mark = "❌ "
	}
	if warns > 0 {
		parts = append(parts, plural(warns, "warning"))
		if c.mark == "" {
			c.mark = "⚠️ "
		}
	}
	if waived > 0 {
		parts = append(parts, fmt.Sprintf("%d waived", waived))
	}
	c.text = strings.Join(parts, ", ")
	if len(parts) == 0 {
		c.text = plural(findings, "finding")
	}
	return c
}

// ruleOpen starts a rule's <details> block: the summary line, then the
// rule's description, remediation and documentation link.
func (d *mdDoc) ruleOpen(id string) string {
	rule, known := d.rules[id]
	summary := id
	if known && rule.Title != "" {
		summary += ": " + rule.Title
	}
	summary += " (" + d.counts[id].text + ")"
	var b strings.Builder
	b.WriteString("<details><summary>" + d.counts[id].mark + mdHTML(summary) + "</summary>\n\n")
	if known {
		if rule.Description != "" {
			b.WriteString(mdProse(rule.Description) + "\n\n")
		}
		if rule.Remediation != "" {
			b.WriteString("**Remediation:** " + mdProse(rule.Remediation) + "\n\n")
		}
		if link := mdLink(rule.HelpURI); link != "" {
			b.WriteString("Documentation: [" + mdText(id) + "](" + link + ")\n\n")
		}
	}
	return b.String()
}
