package output

// The Markdown format within GitHub's limits: cut, and said to be cut.

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/lockstep-iac/lockstep/report"
)

// bigReport has n findings of one or two rows each, like a large estate
// diverging everywhere.
func bigReport(n int) *report.Report {
	r := &report.Report{Environments: []report.Environment{{Name: "staging", Kind: "state"}, {Name: "production", Kind: "state"}}, Rules: realisticRules()}
	for i := range n {
		addr := fmt.Sprintf(`module.svc["svc-%04d"].aws_instance.web[%d]`, i, i%3)
		if i%2 == 0 {
			r.Findings = append(r.Findings, report.Finding{Rule: "attribute-divergence", Severity: "error", Address: addr,
				Environments: []string{"staging", "production"}, Message: "instance_type differs: staging t3.small, production t3.large (and 1 more attribute)",
				Details: report.Details{Attributes: []report.AttributeDetail{
					{Path: "instance_type", Values: map[string]any{"staging": "t3.small", "production": "t3.large"}},
					{Path: "tags.Size", Values: map[string]any{"staging": "small", "production": "large"}},
				}}})
		} else {
			r.Findings = append(r.Findings, report.Finding{Rule: "missing-resource", Severity: "error", Address: addr,
				Environments: []string{"staging", "production"}, Message: "exists in production but not in staging",
				Details: report.Details{Present: []string{"production"}, Missing: []string{"staging"}}})
		}
	}
	r.Sort()
	r.Summarize()
	return r
}

var moreRE = regexp.MustCompile(`^… (\d+) more rows? \((\d+) findings?\) not shown; see the full report \(JSON or SARIF artifact\)$`)

// checkTruncated checks a cut rendering of r: within limit, ending in the
// "more" line, whose counts match the rows and findings the table lacks.
func checkTruncated(t *testing.T, out string, r *report.Report, limit int, measure func(string) int) {
	t.Helper()
	if got := measure(out); got > limit {
		t.Fatalf("output is %d long, limit %d", got, limit)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	m := moreRE.FindStringSubmatch(lines[len(lines)-1])
	if m == nil {
		t.Fatalf("last line is not the \"more\" line: %q", lines[len(lines)-1])
	}
	hiddenRows, _ := strconv.Atoi(m[1])
	hiddenFindings, _ := strconv.Atoi(m[2])
	shown := 0
	for _, l := range lines {
		if strings.HasPrefix(l, "| ") && !strings.HasPrefix(l, "| Rule |") {
			shown++
		}
	}
	total, complete, seen := 0, 0, 0
	for _, f := range orderForMarkdown(r.Findings) {
		n := findingRows(f)
		total += n
		if seen+n <= shown {
			complete++
		}
		seen += n
	}
	if hiddenRows != total-shown {
		t.Errorf("says %d more rows; the table shows %d of %d", hiddenRows, shown, total)
	}
	if hiddenFindings != len(r.Findings)-complete {
		t.Errorf("says %d more findings; %d of %d are shown completely", hiddenFindings, complete, len(r.Findings))
	}
	if shown > 0 && strings.Count(out, "<details>") != strings.Count(out, "</details>") {
		t.Error("unbalanced <details>")
	}
}

func TestMarkdownTruncates5000Findings(t *testing.T) {
	r := bigReport(5000)
	out := string(render(t, Markdown{}, r))
	checkTruncated(t, out, r, MarkdownCommentLimit, utf8.RuneCountInString)
	if utf8.RuneCountInString(out) < MarkdownCommentLimit-2000 {
		t.Errorf("only %d runes used of %d", utf8.RuneCountInString(out), MarkdownCommentLimit)
	}
	if !strings.HasPrefix(out, "### ❌ lockstep: 5000 errors, 0 warnings, 0 waived across staging → production\n") {
		t.Errorf("verdict: %q", out[:100])
	}
	// The job summary's budget is in bytes.
	big := 900 * 1024
	out = string(render(t, Markdown{Limit: big, limitBytes: true}, bigReport(20000)))
	checkTruncated(t, out, bigReport(20000), big, func(s string) int { return len(s) })
}

func TestMarkdownFitsWithoutCut(t *testing.T) {
	r := bigReport(10)
	out := string(render(t, Markdown{}, r))
	if strings.Contains(out, "not shown") {
		t.Error("a small report was cut")
	}
	full := utf8.RuneCountInString(out)
	// Exactly at the limit: still whole.
	if got := string(render(t, Markdown{Limit: full}, r)); got != out {
		t.Error("output of exactly Limit runes was cut")
	}
	checkTruncated(t, string(render(t, Markdown{Limit: full - 1}, r)), r, full-1, utf8.RuneCountInString)
}

func TestMarkdownTinyLimits(t *testing.T) {
	for _, tc := range []struct {
		name string
		r    *report.Report
	}{{"realistic", realistic()}, {"parity", parity()}} {
		full := string(render(t, Markdown{}, tc.r))
		verdict, _, _ := strings.Cut(full, "\n")
		vlen := utf8.RuneCountInString(verdict)
		for _, limit := range []int{1, 2, 5, 10, vlen, vlen + 1, vlen + 2, vlen + 40, 200, 400, 1000, 3000} {
			t.Run(fmt.Sprintf("%s/%d", tc.name, limit), func(t *testing.T) {
				out := string(render(t, Markdown{Limit: limit}, tc.r))
				if n := utf8.RuneCountInString(out); n > limit {
					t.Fatalf("%d runes, limit %d:\n%s", n, limit, out)
				}
				if !strings.HasSuffix(out, "\n") {
					t.Errorf("no trailing newline: %q", out)
				}
				first, _, _ := strings.Cut(out, "\n")
				if !strings.HasPrefix(verdict, first) {
					t.Errorf("first line %q is not the verdict %q", first, verdict)
				}
				if limit > vlen && first != verdict {
					t.Errorf("verdict cut although it fits: %q", first)
				}
				if tc.name == "realistic" && limit > vlen+100 {
					checkTruncated(t, out, tc.r, limit, utf8.RuneCountInString)
				}
			})
		}
	}
	// Bytes: a multi-byte verdict is cut on a rune boundary.
	out := string(render(t, Markdown{Limit: 6, limitBytes: true}, realistic()))
	if len(out) > 6 || !utf8.ValidString(out) {
		t.Errorf("byte-limited tiny output %q", out)
	}
}
