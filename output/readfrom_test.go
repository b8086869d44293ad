package output

import (
	"strings"
	"testing"

	"github.com/lockstep-iac/lockstep/report"
)

// TestReadFromLine: an environment read from a working directory gets one
// line in text and Markdown saying how; a file input gets none.
func TestReadFromLine(t *testing.T) {
	serial := uint64(3)
	from := &report.ReadFrom{Kind: "workspace", Dir: "infra", Workspace: "staging", Backend: "pg", Via: "terraform state pull", TerraformVersion: "1.11.4", Serial: &serial, Lineage: "abc"}
	r := &report.Report{Environments: []report.Environment{{Name: "staging", ReadFrom: from}, {Name: "production"}}}
	want := "workspace staging of infra (pg backend, terraform state pull 1.11.4, serial 3, lineage abc)"
	for _, tc := range []struct {
		name string
		f    Formatter
		line string
	}{
		{"text", Text{}, "staging: " + want + "\n"},
		{"markdown", Markdown{}, "**staging** read from " + want + "\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := string(render(t, tc.f, r))
			if strings.Count(out, tc.line) != 1 {
				t.Errorf("no line %q in\n%s", tc.line, out)
			}
			if strings.Contains(out, "production read from") || strings.Contains(out, "production:") {
				t.Errorf("a file input has a line:\n%s", out)
			}
		})
	}
}
