package output

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/lockstep-iac/lockstep/report"
)

func sample() *report.Report {
	r := &report.Report{
		Version:      report.SchemaVersion,
		Tool:         report.Tool{Name: "lockstep", Version: "test"},
		Environments: []report.Environment{{Name: "staging"}, {Name: "production"}},
		Findings: []report.Finding{
			{Rule: "one-sided-change", Severity: "error", Address: "b", Environments: []string{"staging", "production"}, Message: "staging's plan changes it"},
			{Rule: "attribute-divergence", Severity: "error", Address: `module.very_long_module_name["eu-west-1"].aws_db_instance.primary_database[0]`, Environments: []string{"staging", "production"},
				Message: "engine_version differs: staging 15.4, production 14.9 (and 3 more attributes)", Waived: true,
				Waiver: &report.Waiver{Name: "db", Owner: "team-data", Reason: "rolling", Expires: "2027-01-31"}},
			{Rule: "attribute-divergence", Severity: "warning", Address: "a", Environments: []string{"staging", "production"}, Message: "x differs"},
		},
	}
	r.Sort()
	r.Summarize()
	return r
}

func TestSummarizeAndSort(t *testing.T) {
	r := sample()
	if r.Summary != (report.Summary{Errors: 1, Warnings: 1, Waived: 1}) {
		t.Errorf("summary %+v", r.Summary)
	}
	var order []string
	for _, f := range r.Findings {
		order = append(order, f.Rule+" "+f.Address)
	}
	if order[0] != "attribute-divergence a" || order[2] != "one-sided-change b" {
		t.Errorf("order %q", order)
	}
}

// TestJSONContract pins the top-level and finding keys of DESIGN's contract.
func TestJSONContract(t *testing.T) {
	var buf bytes.Buffer
	if err := (JSON{}).Format(&buf, sample()); err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"version", "tool", "environments", "findings", "summary"} {
		if _, ok := doc[k]; !ok {
			t.Errorf("missing top-level key %q", k)
		}
	}
	f := doc["findings"].([]any)[0].(map[string]any)
	for _, k := range []string{"rule", "severity", "address", "environments", "message", "details", "waived"} {
		if _, ok := f[k]; !ok {
			t.Errorf("finding lacks %q", k)
		}
	}
	empty := &report.Report{Findings: []report.Finding{}}
	buf.Reset()
	(JSON{}).Format(&buf, empty)
	if !strings.Contains(buf.String(), `"findings": []`) {
		t.Errorf("no findings must render as [], got %s", buf.String())
	}
}

// render is every format test's way to run a formatter.
func render(t testing.TB, f Formatter, r *report.Report) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := f.Format(&buf, r); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
