package output

import (
	"fmt"
	"strings"
	"testing"

	"github.com/lockstep-iac/lockstep/report"
)

// TestTextWidth: at every width, each line fits, unless an address is too
// long to leave the Finding column its minimum; and no address is ever
// broken across lines.
func TestTextWidth(t *testing.T) {
	long := `module.very_long_module_name["eu-west-1"].aws_db_instance.primary_database[0]`
	for _, width := range []int{40, 60, 80, 100, 160} {
		out := string(render(t, Text{Width: width}, sample()))
		for _, line := range strings.Split(out, "\n") {
			if n := len([]rune(line)); n > width && n > len(long)+7+minFindingWidth {
				t.Errorf("width %d: line of %d: %q", width, n, line)
			}
		}
		for _, addr := range []string{long, "a", "b"} {
			if !strings.Contains(out, "| "+addr+" ") {
				t.Errorf("width %d: address %s broken:\n%s", width, addr, out)
			}
		}
		for _, want := range []string{"1 error, 1 warning, 1 waived", "WAIVED by db (team-data, until", "attribute-divergence", "one-sided-change"} {
			if !strings.Contains(strings.Join(strings.Fields(strings.ReplaceAll(out, "|", " ")), " "), want) {
				t.Errorf("width %d: text lacks %q:\n%s", width, want, out)
			}
		}
	}
	if got := string(render(t, Text{}, &report.Report{Environments: []report.Environment{{Name: "a"}, {Name: "b"}}})); got != "lockstep: no findings: a, b are in parity\n" {
		t.Errorf("empty report: %q", got)
	}
}

// TestTextAttributes: a finding lists every differing attribute after the
// one its message names, up to MaxTextAttributes, then says how many more.
func TestTextAttributes(t *testing.T) {
	for _, n := range []int{1, 2, 3, MaxTextAttributes, MaxTextAttributes + 1, 45} {
		f := report.Finding{Rule: "attribute-divergence", Severity: "error", Address: "terraform_data.db", Environments: []string{"staging", "production"}, Message: "p0 differs"}
		for i := range n {
			f.Details.Attributes = append(f.Details.Attributes, report.AttributeDetail{Path: fmt.Sprintf("input.p%d", i), Values: map[string]any{"staging": i, "production": "x"}})
		}
		r := &report.Report{Environments: []report.Environment{{Name: "staging"}, {Name: "production"}}, Findings: []report.Finding{f}}
		r.Summarize()
		out := string(render(t, Text{}, r))
		listed := min(n, MaxTextAttributes)
		for i := 1; i < listed; i++ {
			if want := fmt.Sprintf("- input.p%d: staging %d, production x ", i, i); !strings.Contains(out, want) {
				t.Errorf("%d attributes: %q not listed:\n%s", n, want, out)
			}
		}
		if strings.Contains(out, fmt.Sprintf("input.p%d:", listed)) {
			t.Errorf("%d attributes: more than %d listed:\n%s", n, MaxTextAttributes, out)
		}
		more := fmt.Sprintf("- and %d more: --format json or --format markdown lists them all", n-listed)
		if got := strings.Contains(out, more); got != (n > MaxTextAttributes) {
			t.Errorf("%d attributes: %q shown %v:\n%s", n, more, got, out)
		}
	}
}

func TestWrapWords(t *testing.T) {
	for _, tc := range []struct {
		in     string
		width  int
		indent string
		want   string
	}{
		{"a b c", 10, "", "a b c"},
		{"one two three four", 9, "", "one two\nthree\nfour"},
		{"- input.a: staging 1, production 2", 20, "  ", "- input.a: staging\n  1, production 2"},
		{"at module.net.aws_subnet.a[\"x\"] now", 10, "", "at\nmodule.net.aws_subnet.a[\"x\"]\nnow"},
		{"v=abcdefghijklmnop end", 8, "", "v=abcdef\nghijklmn\nop end"},
		{"own\nbreaks stay", 40, "", "own\nbreaks stay"},
		{"at envs/staging/main.tf:7 (staging)", 26, "   ", "at envs/staging/main.tf:7\n   (staging)"},
		{"at a/very/long/path/to/main.tf:7 (staging)", 16, "   ", "at a/very/long/\n   path/to/\n   main.tf:7\n   (staging)"},
		{"v=abc/defghijklmnop", 8, "", "v=abc/\ndefghijk\nlmnop"},
	} {
		if got := wrapWords(tc.in, tc.width, tc.indent); got != tc.want {
			t.Errorf("wrapWords(%q, %d) =\n%s\nwant\n%s", tc.in, tc.width, got, tc.want)
		}
	}
}

// TestGroupCounts: a rule's heading in the text format counts its findings
// as the report's summary does; a waived error is waived, not an error.
func TestGroupCounts(t *testing.T) {
	for _, tc := range []struct {
		s    report.Summary
		want string
	}{
		{report.Summary{Errors: 2}, "error, 2"},
		{report.Summary{Warnings: 1}, "warning, 1"},
		{report.Summary{Waived: 1}, "waived, 1"},
		{report.Summary{Errors: 1, Warnings: 1}, "1 error, 1 warning"},
		{report.Summary{Errors: 2, Warnings: 3, Waived: 1}, "2 errors, 3 warnings, 1 waived"},
	} {
		if got := groupCounts(tc.s); got != tc.want {
			t.Errorf("groupCounts(%+v) = %q, want %q", tc.s, got, tc.want)
		}
	}
}
