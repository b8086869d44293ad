package output

import (
	"bytes"
	"encoding/json"
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

func mdRuleCell(f report.Finding) string {
	switch {
	case f.Waived:
		return "~~" + mdText(f.Rule) + "~~ (waived)"
	case f.Severity == report.SeverityError:
		return "❌ " + mdText(f.Rule)
	case f.Severity == report.SeverityWarning:
		return "⚠️ " + mdText(f.Rule)
	}
	return mdText(f.Rule)
}

// mdResourceCell is the address and where the finding is in each
// environment's sources, as file:line text: GitHub does not resolve relative
// links in comments reliably.
func mdResourceCell(f report.Finding) string {
	var parts []string
	if f.Address != "" {
		parts = append(parts, mdCode(clipRunes(f.Address, mdAddressCap)))
	}
	parts = append(parts, mdLocations(f)...)
	if len(parts) == 0 {
		return "(environment)"
	}
	return strings.Join(parts, "<br>")
}

func mdLocations(f report.Finding) []string {
	var out []string
	for _, l := range f.Positions() {
		s := mdCode(fmt.Sprintf("%s:%d", l.File, l.Line))
		if len(l.Environments) > 0 {
			s = mdText(strings.Join(l.Environments, ", ")) + ": " + s
		}
		out = append(out, s)
	}
	return out
}

// mdFindingCells is the Attribute cell and one cell per environment, for
// each row of a finding: what the finding's details hold decides the shape.
func mdFindingCells(f report.Finding, envs []string) [][]string {
	d := f.Details
	var rows [][]string
	row := func(attr string, cell func(env string) string) {
		cells := []string{attr}
		for _, e := range envs {
			cells = append(cells, cell(e))
		}
		rows = append(rows, cells)
	}
	switch {
	case len(d.Attributes) > 0:
		for _, a := range d.Attributes {
			row(mdCode(clipRunes(a.Path, mdAddressCap)), func(env string) string { return mdAttributeValue(a, env) })
		}
	case len(d.References) > 0:
		for _, ref := range d.References {
			row(mdCode(clipRunes(ref.Path, mdAddressCap)), func(env string) string {
				switch env {
				case ref.Env:
					s := mdValue(ref.Value)
					if ref.Planned {
						s += " (planned)"
					}
					return s
				case ref.Owner.Env:
					return mdCode(clipRunes(ref.Owner.Address, mdAddressCap)) + " (" + mdText(ref.Owner.Attribute) + ")"
				}
				return "—"
			})
		}
	case d.Version != nil:
		v := d.Version
		attr := mdText(v.Kind)
		if v.Name != v.Kind {
			attr += " " + mdCode(clipRunes(v.Name, mdAddressCap))
		}
		row(attr, func(env string) string {
			if val, ok := v.Values[env]; ok {
				return mdValue(val)
			}
			if contains(v.Missing, env) {
				return "**missing**"
			}
			return "—"
		})
	case len(d.Actions) > 0 || len(d.Present) > 0 || len(d.Missing) > 0:
		attr := "(resource)"
		if len(d.Actions) > 0 {
			attr = "(planned actions)"
		}
		row(attr, func(env string) string {
			if acts := d.Actions[env]; len(acts) > 0 {
				return mdActions(acts)
			}
			switch {
			case contains(d.Missing, env):
				return "**missing**"
			case contains(d.Present, env):
				return "present"
			}
			return "—"
		})
	default:
		// expired-waiver and user findings without details: the message,
		// in the widest free-text column (a table cannot span columns).
		row(mdText(clipRunes(f.Message, mdMessageCap)), func(string) string { return "" })
	}
	return rows
}

func mdActions(acts []string) string {
	if len(acts) == 1 && acts[0] == "no-op" {
		return "no change"
	}
	return mdText(strings.Join(acts, ", "))
}

// mdAttributeValue shows an environment's value, "before → after" when a
// plan changes it, and "→ after" when only the planned value is known.
func mdAttributeValue(a report.AttributeDetail, env string) string {
	after, hasAfter := a.Values[env]
	before, hasBefore := a.Before[env]
	switch {
	case hasAfter && hasBefore:
		b, v := mdValue(before), mdValue(after)
		// A sensitive value shows as "(sensitive)" on both sides even when
		// it changed, so it keeps its arrow.
		if b == v && b != sensitiveText {
			return v
		}
		return b + " → " + v
	case hasAfter && a.Before != nil:
		return "→ " + mdValue(after)
	case hasAfter:
		return mdValue(after)
	case hasBefore:
		return mdValue(before)
	}
	return "—"
}

// sensitiveText is how the engine redacts a sensitive value.
const sensitiveText = "(sensitive)"

// mdValue renders a value compactly: strings as code, other values as JSON
// code, the redaction marker as plain text.
func mdValue(v any) string {
	if s, ok := v.(string); ok {
		switch s {
		case sensitiveText:
			return sensitiveText
		case "":
			return mdCode(`""`)
		}
		return mdCode(clipRunes(s, mdValueCap))
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return mdText(fmt.Sprint(v))
	}
	return mdCode(clipRunes(strings.TrimSuffix(buf.String(), "\n"), mdValueCap))
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
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

// mdEntry is one finding's list item in its rule's details block: the full
// message and everything the table has no room for.
func mdEntry(f report.Finding, envs []string) string {
	var b strings.Builder
	locs := mdLocations(f)
	// The label is the address; a finding without one (a waiver in
	// lockstep.hcl) is labelled by its location, else by "(environment)".
	label := "(environment)"
	switch {
	case f.Address != "":
		label = mdCode(clipRunes(f.Address, mdAddressCap))
	case len(locs) == 1:
		label, locs = locs[0], nil
	}
	facts := mdText(string(f.Severity))
	if f.Waived {
		facts += ", waived"
	}
	if len(f.Environments) > 0 {
		facts += "; " + mdText(strings.Join(f.Environments, ", "))
	}
	fmt.Fprintf(&b, "- %s (%s): %s\n", label, facts, mdText(clipRunes(f.Message, mdDetailCap)))
	sub := func(format string, args ...any) { fmt.Fprintf(&b, "  - "+format+"\n", args...) }

	if len(locs) > 0 {
		sub("Location: %s", strings.Join(locs, "; "))
	}
	if w := f.Waiver; w != nil {
		sub("Waived by %s (owner %s, expires %s): %s", mdCode(w.Name), mdCode(w.Owner), mdText(w.Expires), mdText(clipRunes(w.Reason, mdDetailCap)))
	}
	d := f.Details
	if w := d.Waiver; w != nil {
		state := "expires"
		if w.Expired {
			state = "expired"
		}
		var res []string
		for _, r := range w.Resources {
			res = append(res, mdCode(clipRunes(r, mdAddressCap)))
		}
		line := fmt.Sprintf("Waiver %s: rule %s", mdCode(w.Name), mdCode(w.Rule))
		if len(res) > 0 {
			line += ", resources " + strings.Join(res, ", ")
		}
		line += fmt.Sprintf("; owner %s; %s %s; matched %s; reason: %s",
			mdCode(w.Owner), state, mdText(w.Expires), plural(w.Matched, "finding"), mdText(clipRunes(w.Reason, mdDetailCap)))
		sub("%s", line)
	}
	for _, ref := range d.References {
		planned := ""
		if ref.Planned {
			planned = " (planned)"
		}
		sub("Reference: %s's %s = %s%s is the %s of %s's %s", mdText(ref.Env), mdCode(ref.Path), mdValue(ref.Value), planned,
			mdCode(ref.Owner.Attribute), mdText(ref.Owner.Env), mdCode(ref.Owner.Address))
	}
	if v := d.Version; v != nil {
		line := fmt.Sprintf("Version: %s %s: %s", mdText(v.Kind), mdCode(v.Name), mdEnvMap(v.Values, envs))
		if len(v.Missing) > 0 {
			line += "; missing in " + mdText(strings.Join(v.Missing, ", "))
		}
		if len(v.Sources) > 0 {
			line += "; lock files: " + mdEnvMap(v.Sources, envs)
		}
		sub("%s", line)
	}
	if differ := func() bool {
		for _, a := range d.Addresses {
			if a != f.Address {
				return true
			}
		}
		return false
	}(); differ {
		sub("Addresses: %s", mdEnvMap(d.Addresses, envs))
	}
	if len(d.Extra) > 0 {
		var raw bytes.Buffer
		enc := json.NewEncoder(&raw)
		enc.SetEscapeHTML(false) // mdCode escapes; \u003c would only hide the text
		if err := enc.Encode(d.Extra); err == nil {
			sub("Extra: %s", mdCode(clipRunes(strings.TrimSuffix(raw.String(), "\n"), mdDetailCap)))
		}
	}
	return b.String()
}

// mdEnvMap renders an environment → string map in the report's
// environment order, any other keys after them sorted.
func mdEnvMap(m map[string]string, envs []string) string {
	var keys, rest []string
	for _, e := range envs {
		if _, ok := m[e]; ok {
			keys = append(keys, e)
		}
	}
	for k := range m {
		if !contains(envs, k) {
			rest = append(rest, k)
		}
	}
	sort.Strings(rest)
	var parts []string
	for _, k := range append(keys, rest...) {
		parts = append(parts, mdText(k)+" "+mdCode(clipRunes(m[k], mdAddressCap)))
	}
	return strings.Join(parts, ", ")
}
