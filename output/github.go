package output

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/lockstep-iac/lockstep/report"
)

// GitHub renders findings as GitHub Actions workflow commands: one
// annotation per finding and source location, which GitHub shows on the
// pull request's diff and on the run summary, then a plain verdict line for
// the log (plain text rather than a ::notice, so it does not use up one of
// the few annotations GitHub displays per step).
//
// Unwaived errors are ::error, warnings ::warning, waived findings ::notice
// with "waived by …" in the message, so an excused finding stays visible
// without looking like a failure.
type GitHub struct {
	// SummaryNote, when set, is printed as a ::warning annotation after
	// the verdict: the CLI sets it when GitHub's job summary file has no
	// room left for the report (see StepSummary).
	SummaryNote string
}

// GitHub limits a step's summary to 1 MiB; beyond that the upload fails
// and the whole summary is lost. githubSummaryLimit leaves room for what
// else the step writes.
const (
	githubSummaryMax   = 1 << 20
	githubSummaryLimit = 900 * 1024
	// githubSummaryMin is the least room worth writing a (cut) report into.
	githubSummaryMin = 256
)

// Format writes the workflow commands and the verdict line. The job
// summary is not written here: StepSummary renders it, and the caller
// appends it together with the run's other outputs, so a run that fails
// leaves the summary untouched.
func (g GitHub) Format(w io.Writer, r *report.Report) error {
	titles := map[string]string{}
	for _, rule := range r.Rules {
		titles[rule.ID] = rule.Title
	}
	var b strings.Builder
	for _, f := range r.Findings {
		for _, a := range githubAnnotations(f, titles[f.Rule]) {
			b.WriteString(a)
			b.WriteString("\n")
		}
	}
	b.WriteString(escapeData(Verdict(r)))
	b.WriteString("\n")
	if g.SummaryNote != "" {
		// A full summary loses the summary, not the check: say so where
		// the reviewer looks, and let the exit code reflect the findings.
		b.WriteString(githubCommand("warning", [][2]string{{"title", "lockstep job summary"}}, g.SummaryNote) + "\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// StepSummary renders what the github format adds to GitHub's job summary
// file (file, $GITHUB_STEP_SUMMARY), which already holds size bytes: the
// Markdown report, cut to fit what is left of the step's 1 MiB, after a
// line break when the file is not empty (whatever was written before may
// not end its last block). The file belongs to the step and other tools
// write to it too, so the caller appends. When no room is left, add is nil
// and note says so, for GitHub.SummaryNote.
func StepSummary(r *report.Report, file string, size int64) (add []byte, note string, err error) {
	var buf bytes.Buffer
	limit := githubSummaryLimit
	if size > 0 {
		buf.WriteString("\n")
		if room := githubSummaryMax - size - 1; room < int64(limit) {
			limit = int(max(room, 0))
		}
	}
	if limit < githubSummaryMin {
		return nil, fmt.Sprintf("job summary %s is already %d bytes, no room left under GitHub's 1 MiB limit; the Markdown report was not added (write it to a file with --format markdown=FILE)", file, size), nil
	}
	if err := (Markdown{Limit: limit, limitBytes: true}).Format(&buf, r); err != nil {
		return nil, "", err
	}
	return buf.Bytes(), "", nil
}

// githubAnnotations gives one command per distinct location of a finding,
// so a finding in a directory per environment shows in each environment's
// file; a finding without a location gets one command without file, which
// GitHub shows on the run summary.
func githubAnnotations(f report.Finding, ruleTitle string) []string {
	command := "warning"
	switch {
	case f.Waived:
		command = "notice"
	case f.Severity == report.SeverityError:
		command = "error"
	}
	title := f.Rule
	if ruleTitle != "" {
		title += ": " + ruleTitle
	}
	msg := f.Message
	if f.Waived {
		msg += " (waived by " + githubWaiver(f.Waiver) + ")"
	}
	if f.Address != "" {
		msg = f.Address + ": " + msg
	}
	for _, r := range f.Details.Related {
		msg += "\n" + relatedText(r)
	}
	locs := f.Positions()
	if len(locs) == 0 {
		return []string{githubCommand(command, [][2]string{{"title", title}}, msg)}
	}
	out := make([]string, 0, len(locs))
	for _, l := range locs {
		t := title
		// With several locations, say whose file this one is.
		if len(locs) > 1 && len(l.Environments) > 0 {
			t += " (" + strings.Join(l.Environments, ", ") + ")"
		}
		if l.Variable != "" {
			// The line that sets the value: name the variable it sets.
			t = title + " (var." + l.Variable + " in " + strings.Join(l.Environments, ", ") + ")"
		}
		var props [][2]string
		if l.File != "" {
			props = append(props, [2]string{"file", l.File})
			if l.Line > 0 {
				props = append(props, [2]string{"line", strconv.Itoa(l.Line)})
			}
			if l.EndLine >= l.Line && l.Line > 0 {
				props = append(props, [2]string{"endLine", strconv.Itoa(l.EndLine)})
			}
			if l.Column > 0 {
				props = append(props, [2]string{"col", strconv.Itoa(l.Column)})
			}
		}
		props = append(props, [2]string{"title", t})
		out = append(out, githubCommand(command, props, msg))
	}
	return out
}

func githubWaiver(w *report.Waiver) string {
	if w == nil {
		return "a waiver"
	}
	s := w.Name
	var facts []string
	if w.Owner != "" {
		facts = append(facts, "owner "+w.Owner)
	}
	if w.Expires != "" {
		facts = append(facts, "expires "+w.Expires)
	}
	if len(facts) > 0 {
		s += ", " + strings.Join(facts, ", ")
	}
	if w.Reason != "" {
		s += ": " + w.Reason
	}
	return s
}

// githubCommand formats ::command prop=value,...::message. It escapes
// control characters first (Printable: GitHub shows the message in the
// browser, and the raw line in the log, which renders ANSI sequences), then
// what the command syntax reserves.
func githubCommand(command string, props [][2]string, msg string) string {
	var b strings.Builder
	b.WriteString("::" + command)
	for i, p := range props {
		if i == 0 {
			b.WriteString(" ")
		} else {
			b.WriteString(",")
		}
		b.WriteString(p[0] + "=" + escapeProperty(Printable(p[1])))
	}
	b.WriteString("::" + escapeData(Printable(msg)))
	return b.String()
}

// The escaping of @actions/core's toCommandValue callers: a line break in
// data would end the command (and could start another), and ":" or "," in a
// property would end the property list or the property.
var (
	dataEscaper     = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")
	propertyEscaper = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C")
)

func escapeData(s string) string     { return dataEscaper.Replace(s) }
func escapeProperty(s string) string { return propertyEscaper.Replace(s) }
