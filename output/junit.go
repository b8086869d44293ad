// JUnit output: the report as JUnit XML, the one test-report format GitLab,
// Jenkins and Azure DevOps all read, so parity findings appear in their
// test tabs and merge-request widgets without a lockstep-specific plugin.
//
// JUnit has no standard; this follows what those tools agree on (API brief,
// section 5.3):
//   - one <testsuite> per evaluated rule, named by its id, so a dashboard
//     shows every rule that ran; a rule without findings gets one passing
//     testcase, "<rule-id> (no findings)".
//   - one <testcase> per finding, classname = rule id, name = the address
//     (or, for environment-level findings, what the details name: the
//     versioned item, the waiver). GitLab keys tests by classname+name and
//     drops duplicates, so names are made unique within a suite: by the
//     environments, then by "#n". A finding is the report's unit (its
//     summary counts findings), and a waived and an unwaived finding on
//     one address must be a skipped and a failing test, so findings are
//     not merged per address.
//   - a warning is a <failure type="warning">, not a pass: JUnit has no
//     "passed with a warning", a pass would hide it from every dashboard,
//     and whether warnings break the build is --fail-on's decision (the
//     exit code), not the test report's. <error> stays reserved for
//     evaluation errors, which never reach a report.
//   - a waived finding is <skipped>, with who waived it, until when, and why.
//   - time="0" throughout (numeric, as the consumers require).
//
// The failure body prints the message, the rule, environments, locations,
// the attribute and version values of the details (which the report has
// already redacted) and the rule's remediation; other details
// (details.extra, references, actions, addresses) are not printed, so no
// field that could hold a raw value reaches the XML.

package output

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/lockstep-iac/lockstep/report"
)

// JUnit renders the report as JUnit XML.
type JUnit struct{}

type (
	junitSuites struct {
		XMLName  xml.Name     `xml:"testsuites"`
		Name     string       `xml:"name,attr"`
		Tests    int          `xml:"tests,attr"`
		Failures int          `xml:"failures,attr"`
		Errors   int          `xml:"errors,attr"`
		Skipped  int          `xml:"skipped,attr"`
		Time     string       `xml:"time,attr"`
		Suites   []junitSuite `xml:"testsuite"`
	}
	junitSuite struct {
		Name     string      `xml:"name,attr"`
		Tests    int         `xml:"tests,attr"`
		Failures int         `xml:"failures,attr"`
		Errors   int         `xml:"errors,attr"`
		Skipped  int         `xml:"skipped,attr"`
		Time     string      `xml:"time,attr"`
		Cases    []junitCase `xml:"testcase"`
	}
	junitCase struct {
		Classname string        `xml:"classname,attr"`
		Name      string        `xml:"name,attr"`
		File      string        `xml:"file,attr,omitempty"`
		Line      int           `xml:"line,attr,omitempty"`
		Time      string        `xml:"time,attr"`
		Failure   *junitFailure `xml:"failure,omitempty"`
		Skipped   *junitSkipped `xml:"skipped,omitempty"`
	}
	junitFailure struct {
		Message string `xml:"message,attr"`
		Type    string `xml:"type,attr"`
		Body    string `xml:",chardata"`
	}
	junitSkipped struct {
		Message string `xml:"message,attr"`
	}
)

// Format writes the JUnit XML document.
func (JUnit) Format(w io.Writer, r *report.Report) error {
	doc, err := buildJUnit(r)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("encoding JUnit XML: %w", err)
	}
	buf.WriteByte('\n')
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("writing JUnit XML: %w", err)
	}
	return nil
}

func buildJUnit(r *report.Report) (junitSuites, error) {
	groups := r.ByRule()
	doc := junitSuites{Name: "lockstep", Time: "0", Suites: make([]junitSuite, 0, len(groups))}
	for _, g := range groups {
		id, fs := g.Rule.ID, g.Findings
		suite := junitSuite{Name: id, Time: "0"}
		names := junitNames(fs)
		for i, f := range fs {
			c := junitCase{Classname: id, Name: names[i], Time: "0"}
			if l := firstLocation(f); l != nil {
				c.File, c.Line = l.File, l.Line
			}
			if f.Waived {
				c.Skipped = &junitSkipped{Message: waivedText(f.Waiver)}
				suite.Skipped++
			} else {
				body, err := junitBody(f, g.Rule)
				if err != nil {
					return junitSuites{}, fmt.Errorf("rule %s, %s: %w", id, names[i], err)
				}
				c.Failure = &junitFailure{Message: findingText(f), Type: sarifLevel(f.Severity), Body: body}
				suite.Failures++
			}
			suite.Cases = append(suite.Cases, c)
		}
		if len(fs) == 0 {
			suite.Cases = []junitCase{{Classname: id, Name: id + " (no findings)", Time: "0"}}
		}
		suite.Tests = len(suite.Cases)
		doc.Tests += suite.Tests
		doc.Failures += suite.Failures
		doc.Skipped += suite.Skipped
		doc.Suites = append(doc.Suites, suite)
	}
	printableJUnit(&doc)
	return doc, nil
}

// printableJUnit escapes control characters in every text of the document
// (Printable): CI servers show test names, messages and bodies in the
// browser and in terminals. encoding/xml alone would turn a C0 control
// into U+FFFD (XML cannot hold it) and pass C1 controls and bidi overrides
// through.
func printableJUnit(doc *junitSuites) {
	for i := range doc.Suites {
		s := &doc.Suites[i]
		s.Name = Printable(s.Name)
		for j := range s.Cases {
			c := &s.Cases[j]
			c.Classname, c.Name, c.File = Printable(c.Classname), Printable(c.Name), Printable(c.File)
			if c.Failure != nil {
				c.Failure.Message, c.Failure.Body = Printable(c.Failure.Message), Printable(c.Failure.Body)
			}
			if c.Skipped != nil {
				c.Skipped.Message = Printable(c.Skipped.Message)
			}
		}
	}
}

// junitNames names one rule's findings uniquely: by address (or what an
// environment-level finding is about); names shared by several findings
// get the environments appended, and any still shared get "#n" from the
// second on, in report order.
func junitNames(fs []report.Finding) []string {
	names := make([]string, len(fs))
	count := map[string]int{}
	for i, f := range fs {
		names[i] = junitBaseName(f)
		count[names[i]]++
	}
	for i, f := range fs {
		if count[names[i]] > 1 && len(f.Environments) > 0 {
			names[i] += " (" + strings.Join(f.Environments, ", ") + ")"
		}
	}
	used := map[string]bool{}
	for i := range names {
		name := names[i]
		for n := 2; used[name]; n++ {
			name = fmt.Sprintf("%s #%d", names[i], n)
		}
		used[name] = true
		names[i] = name
	}
	return names
}

// junitBaseName is the address, or for an environment-level finding what
// its details name, or the first line of its message.
func junitBaseName(f report.Finding) string {
	switch {
	case f.Address != "":
		return f.Address
	case f.Details.Version != nil:
		return strings.TrimSpace(f.Details.Version.Kind + " " + f.Details.Version.Name)
	case f.Details.Waiver != nil:
		return "waiver " + f.Details.Waiver.Name
	}
	line, _, _ := strings.Cut(f.Message, "\n")
	if line = strings.TrimSpace(line); line != "" {
		return line
	}
	return "(environment)"
}

func firstLocation(f report.Finding) *report.Location {
	if p := f.Positions(); len(p) > 0 {
		return &p[0]
	}
	return nil
}

func waivedText(w *report.Waiver) string {
	if w == nil {
		return "waived"
	}
	return fmt.Sprintf("waived by %s (%s, until %s): %s", w.Name, w.Owner, w.Expires, w.Reason)
}

// junitBody is a failure's text: the message, then the rule, the
// environments, locations and values behind it and the rule's remediation,
// one per line.
func junitBody(f report.Finding, rule report.Rule) (string, error) {
	var b strings.Builder
	b.WriteString(findingText(f))
	b.WriteString("\n\nrule: " + f.Rule)
	if rule.Title != "" {
		b.WriteString(" (" + rule.Title + ")")
	}
	b.WriteString("\nseverity: " + string(f.Severity))
	if len(f.Environments) > 0 {
		b.WriteString("\nenvironments: " + strings.Join(f.Environments, ", "))
	}
	locs := f.Locations
	if len(locs) == 0 && f.Location != nil {
		locs = []report.Location{*f.Location}
	}
	for _, l := range locs {
		fmt.Fprintf(&b, "\nlocation: %s:%d", l.File, l.Line)
		if len(l.Environments) > 0 {
			fmt.Fprintf(&b, " (%s)", strings.Join(l.Environments, ", "))
		}
	}
	for _, a := range f.Details.Attributes {
		vals, err := junitValues(a.Values, f.Environments)
		if err != nil {
			return "", fmt.Errorf("attribute %s: %w", a.Path, err)
		}
		fmt.Fprintf(&b, "\n%s: %s", a.Path, vals)
		if len(a.Before) > 0 {
			before, err := junitValues(a.Before, f.Environments)
			if err != nil {
				return "", fmt.Errorf("attribute %s: %w", a.Path, err)
			}
			fmt.Fprintf(&b, " (before: %s)", before)
		}
	}
	if v := f.Details.Version; v != nil {
		values := make(map[string]any, len(v.Values))
		for env, s := range v.Values {
			values[env] = s
		}
		vals, err := junitValues(values, f.Environments)
		if err != nil {
			return "", fmt.Errorf("%s %s: %w", v.Kind, v.Name, err)
		}
		fmt.Fprintf(&b, "\n%s: %s", strings.TrimSpace(v.Kind+" "+v.Name), vals)
		if len(v.Missing) > 0 {
			fmt.Fprintf(&b, "\nmissing in: %s", strings.Join(v.Missing, ", "))
		}
	}
	if len(f.Details.Present) > 0 {
		b.WriteString("\npresent in: " + strings.Join(f.Details.Present, ", "))
	}
	if len(f.Details.Missing) > 0 {
		b.WriteString("\nmissing in: " + strings.Join(f.Details.Missing, ", "))
	}
	for _, r := range f.Details.Related {
		b.WriteString("\n" + relatedText(r))
	}
	if rule.Remediation != "" {
		b.WriteString("\nremediation: " + rule.Remediation)
	}
	if rule.HelpURI != "" {
		b.WriteString("\nhelp: " + rule.HelpURI)
	}
	return b.String(), nil
}

// junitValues renders environment → value as `env=JSON` pairs, in the
// finding's environment order, then any other environments sorted.
func junitValues(values map[string]any, order []string) (string, error) {
	envs := make([]string, 0, len(values))
	done := map[string]bool{}
	for _, env := range order {
		if _, ok := values[env]; ok && !done[env] {
			done[env] = true
			envs = append(envs, env)
		}
	}
	var rest []string
	for env := range values {
		if !done[env] {
			rest = append(rest, env)
		}
	}
	sort.Strings(rest)
	envs = append(envs, rest...)
	parts := make([]string, 0, len(envs))
	for _, env := range envs {
		v, err := compactJSON(values[env])
		if err != nil {
			return "", err
		}
		parts = append(parts, env+"="+v)
	}
	return strings.Join(parts, " "), nil
}

func compactJSON(v any) (string, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return "", fmt.Errorf("encoding value: %w", err)
	}
	return strings.TrimSuffix(buf.String(), "\n"), nil
}
