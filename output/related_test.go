package output

import (
	"strings"
	"testing"

	"github.com/lockstep-iac/lockstep/report"
)

// TestRelatedShown: a finding that supersedes another (details.related,
// issue 16) names it in text and markdown, so the reader sees what a
// waiver of the finding also covers; its message is escaped like any other.
func TestRelatedShown(t *testing.T) {
	r := &report.Report{
		Environments: []report.Environment{{Name: "staging"}, {Name: "production"}},
		Findings: []report.Finding{{Rule: "promotion-order", Severity: report.SeverityError, Address: "terraform_data.db",
			Environments: []string{"staging", "production"}, Message: "production's plan sets v to 2, but staging has 1: apply it to staging first",
			Details: report.Details{Related: []report.Related{{Rule: "one-sided-change", Severity: report.SeverityError,
				Environments: []string{"staging", "production"}, Message: "production's plan sets v to 2;\x1b[31m staging has 1"}}}}},
	}
	r.Summarize()
	for _, tc := range []struct {
		name   string
		format Formatter
		want   string
	}{
		{"text", Text{Width: 200}, "- also one-sided-change: production's plan sets v to 2;\\x1b[31m staging has 1"},
		{"markdown", Markdown{}, "Also `one-sided-change` (error, folded into this finding): production's plan sets v to 2;"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := string(render(t, tc.format, r))
			if !strings.Contains(out, tc.want) {
				t.Errorf("lacks %q:\n%s", tc.want, out)
			}
			if strings.Contains(out, "\x1b") {
				t.Errorf("control character printed:\n%q", out)
			}
		})
	}
}
