package runtask

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/lockstep-iac/lockstep/report"
)

// TestVerdict: outcomes are capped, the last one listing the rest;
// failing findings come first; outcomes are left out when HCP Terraform
// does not read them; URLs that are not https are dropped.
func TestVerdict(t *testing.T) {
	rep := &report.Report{Rules: []report.Rule{{ID: "r", HelpURI: "https://example.com/r"}, {ID: "w", HelpURI: "docs/rules.md#w"}}}
	rep.Findings = append(rep.Findings, report.Finding{Rule: "w", Severity: report.SeverityWarning, Address: "a.w", Message: "warned"})
	for i := range 5 {
		rep.Findings = append(rep.Findings, report.Finding{Rule: "r", Severity: report.SeverityError, Address: fmt.Sprintf("a.e%d", i), Message: "line one\nline\x1btwo"})
	}
	rep.Findings = append(rep.Findings, report.Finding{Rule: "r", Severity: report.SeverityError, Address: "a.waived", Waived: true})
	rep.Summarize()
	for _, tc := range []struct {
		max      int
		wantIDs  string
		wantLast string
	}{
		{max: 10, wantIDs: "r a.e0,r a.e1,r a.e2,r a.e3,r a.e4,w a.w,r a.waived"},
		{max: 3, wantIDs: "r a.e0,r a.e1,lockstep-more", wantLast: "5 more findings"},
	} {
		res := Verdict(rep, true, "comparing x with y", tc.max)
		var ids []string
		for _, o := range res.Outcomes {
			ids = append(ids, o.ID)
		}
		if strings.Join(ids, ",") != tc.wantIDs {
			t.Errorf("max %d: outcomes %v", tc.max, ids)
		}
		if res.Status != StatusFailed || res.Message != "lockstep: 5 errors, 1 warning, 1 waived comparing x with y" {
			t.Errorf("max %d: %s %q", tc.max, res.Status, res.Message)
		}
		if last := res.Outcomes[len(res.Outcomes)-1]; tc.wantLast != "" && (!strings.HasPrefix(last.Description, tc.wantLast) || !strings.Contains(last.Body, "a.e4") || !strings.Contains(last.Body, "a.waived")) {
			t.Errorf("max %d: last outcome %+v", tc.max, last)
		}
		if d := res.Outcomes[0].Description; d != `line one line\x1btwo` {
			t.Errorf("description %q", d)
		}
		doc, err := res.Document(true)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(doc), `"url":"https://example.com/r"`) || strings.Contains(string(doc), "docs/rules.md#w") {
			t.Errorf("urls in %s", doc)
		}
		var back map[string]any
		if err := json.Unmarshal(doc, &back); err != nil {
			t.Fatal(err)
		}
		if plain, _ := res.Document(false); strings.Contains(string(plain), "relationships") {
			t.Errorf("outcomes sent without the capability: %s", plain)
		}
	}
}
