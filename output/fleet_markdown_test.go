package output

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/lockstep-iac/lockstep/evidence"
	"github.com/lockstep-iac/lockstep/report"
)

// bigFleet has n stacks with one long finding each.
func bigFleet(n int) *evidence.Document {
	d := &evidence.Document{AsOf: "2026-12-01"}
	for i := range n {
		f := report.Finding{Rule: "attribute-divergence", Severity: report.SeverityError, Address: fmt.Sprintf("aws_instance.web[%d]", i),
			Environments: []string{"staging", "production"}, Message: strings.Repeat("ü differs ", 30)}
		d.Stacks = append(d.Stacks, evidence.Stack{Name: fmt.Sprintf("stack-%03d", i), Status: evidence.StatusParity,
			Environments: []string{"staging", "production"}, Findings: []evidence.Finding{{Finding: f}}})
	}
	evidence.Finalize(d)
	return d
}

// TestFleetMarkdownLimit: a report over the limit is cut at a section's
// line, says so, and keeps its head and footer; one under it is whole.
func TestFleetMarkdownLimit(t *testing.T) {
	for _, tc := range []struct {
		stacks, limit int
		cut           bool
	}{
		{3, GitHubCommentLimit, false},
		{400, GitHubCommentLimit, true},
		{40, 8000, true},
	} {
		var buf bytes.Buffer
		if err := (FleetMarkdown{Limit: tc.limit}).FormatFleet(&buf, bigFleet(tc.stacks), "abc123"); err != nil {
			t.Fatal(err)
		}
		md := buf.String()
		if n := utf8.RuneCountInString(md); n > tc.limit {
			t.Errorf("%d stacks: %d characters, over the limit of %d", tc.stacks, n, tc.limit)
		}
		if got := strings.Contains(md, "The report is cut here"); got != tc.cut {
			t.Errorf("%d stacks, limit %d: cut %v, want %v", tc.stacks, tc.limit, got, tc.cut)
		}
		if !strings.Contains(md, "## Parity matrix") || !strings.HasSuffix(md, "sha256: `abc123`\n") {
			t.Errorf("%d stacks: the head or the footer is missing", tc.stacks)
		}
	}
}
