package runtask

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/lockstep-iac/lockstep/output"
	"github.com/lockstep-iac/lockstep/report"
)

// DefaultMaxOutcomes is how many findings get an outcome of their own when
// Server.MaxOutcomes is zero; the rest are listed in one last outcome.
const DefaultMaxOutcomes = 50

// bodyLimit bounds an outcome's Markdown body, in runes: HCP Terraform
// takes bodies under 1 MB, and a rune is at most 4 bytes.
const bodyLimit = 200_000

// Result statuses.
const (
	StatusRunning = "running"
	StatusPassed  = "passed"
	StatusFailed  = "failed"
)

// Result is a task result as the callback sends it.
type Result struct {
	Status  string
	Message string
	// URL is where to read more (https only; dropped otherwise).
	URL      string
	Outcomes []Outcome
}

// Outcome is one task-result-outcome.
type Outcome struct {
	ID          string `json:"outcome-id"`
	Description string `json:"description"`
	Body        string `json:"body,omitempty"`
	URL         string `json:"url,omitempty"`
	Tags        Tags   `json:"tags,omitempty"`
}

// Tags are an outcome's labels: HCP Terraform shows Severity and Status
// as columns, colored by level.
type Tags struct {
	Severity []Tag `json:"Severity,omitempty"`
	Status   []Tag `json:"Status,omitempty"`
}

// Tag is one label; Level is none, info, warning or error.
type Tag struct {
	Label string `json:"label"`
	Level string `json:"level"`
}

// Document is the JSON:API body of the callback. Outcomes are sent only
// when the request's capabilities.outcomes says HCP Terraform reads them.
func (r Result) Document(outcomes bool) ([]byte, error) {
	attrs := map[string]string{"status": r.Status, "message": r.Message}
	if strings.HasPrefix(r.URL, "https://") {
		attrs["url"] = r.URL
	}
	data := map[string]any{"type": "task-results", "attributes": attrs}
	if outcomes && len(r.Outcomes) > 0 {
		list := make([]any, len(r.Outcomes))
		for i, o := range r.Outcomes {
			if !strings.HasPrefix(o.URL, "https://") {
				o.URL = ""
			}
			list[i] = map[string]any{"type": "task-result-outcomes", "attributes": o}
		}
		data["relationships"] = map[string]any{"outcomes": map[string]any{"data": list}}
	}
	return json.Marshal(map[string]any{"data": data})
}

// Verdict makes the task result of a report: failed when fails (the
// findings reach --fail-on), a one-line message with the counts, and one
// outcome per finding, unwaived errors first, at most max (the last of
// which then summarises the rest).
func Verdict(rep *report.Report, fails bool, compared string, max int) Result {
	s := rep.Summary
	res := Result{Status: StatusPassed, Message: fmt.Sprintf("lockstep: %s, %s, %d waived %s",
		plural(s.Errors, "error"), plural(s.Warnings, "warning"), s.Waived, compared)}
	if fails {
		res.Status = StatusFailed
	}
	if max <= 0 {
		max = DefaultMaxOutcomes
	}
	findings := output.FailingFirst(rep.Findings)
	help := map[string]string{}
	for _, r := range rep.Rules {
		help[r.ID] = r.HelpURI
	}
	for i, f := range findings {
		if i == max-1 && len(findings) > max {
			res.Outcomes = append(res.Outcomes, rest(rep, findings[i:]))
			break
		}
		res.Outcomes = append(res.Outcomes, outcome(rep, f, help[f.Rule]))
	}
	return res
}

// outcome is one finding's.
func outcome(rep *report.Report, f report.Finding, helpURI string) Outcome {
	return Outcome{ID: clip(f.Rule+" "+f.Address, 200), Description: clip(f.Message, 500),
		Body: markdown(rep, []report.Finding{f}), URL: helpURI, Tags: tags(f)}
}

func tags(f report.Finding) Tags {
	sev := Tag{Label: "Warning", Level: "warning"}
	if f.Severity == report.SeverityError {
		sev = Tag{Label: "Error", Level: "error"}
	}
	status := Tag{Label: "Failed", Level: sev.Level}
	if f.Waived {
		status = Tag{Label: "Waived", Level: "none"}
	}
	return Tags{Severity: []Tag{sev}, Status: []Tag{status}}
}

// rest is the last outcome when there are more findings than outcomes:
// the Markdown report of those findings, which cuts itself to fit.
func rest(rep *report.Report, fs []report.Finding) Outcome {
	worst := Tag{Label: "Warning", Level: "warning"}
	for _, f := range fs {
		if f.Severity == report.SeverityError && !f.Waived {
			worst = Tag{Label: "Error", Level: "error"}
		}
	}
	return Outcome{ID: "lockstep-more", Description: plural(len(fs), "more finding") + "; run lockstep check for the full report",
		Body: markdown(rep, fs), Tags: Tags{Severity: []Tag{worst}}}
}

// markdown renders findings with the Markdown renderer, on a copy of the
// report that holds them alone, so a body is what a PR comment shows.
func markdown(rep *report.Report, fs []report.Finding) string {
	part := *rep
	part.Findings = fs
	part.Summarize()
	var body bytes.Buffer
	if err := (output.Markdown{Limit: bodyLimit}).Format(&body, &part); err != nil {
		return ""
	}
	return body.String()
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// clip cuts s to n runes, on one line, control characters escaped.
func clip(s string, n int) string {
	s = output.Printable(strings.Join(strings.Fields(s), " "))
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}
