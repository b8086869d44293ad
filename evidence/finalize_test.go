package evidence_test

import (
	"reflect"
	"testing"

	"github.com/lockstep-iac/lockstep/evidence"
	"github.com/lockstep-iac/lockstep/report"
)

func finding(addr string, waived bool, envs ...string) evidence.Finding {
	return evidence.Finding{Finding: report.Finding{Rule: "attribute-divergence", Severity: report.SeverityError, Address: addr, Environments: envs, Waived: waived,
		Details: report.Details{Attributes: []report.AttributeDetail{{Path: "input.size"}}}}}
}

// TestMatrixCells: a finding counts for a pair when it names both of its
// environments, one of them alone, or none; a cell of waived findings only
// is waived; an unreadable stack's cells say so.
func TestMatrixCells(t *testing.T) {
	envs := []string{"dev", "staging", "production"}
	d := &evidence.Document{Stacks: []evidence.Stack{
		{Name: "a", Status: evidence.StatusParity, Environments: envs, Findings: []evidence.Finding{
			finding(`x.y["1"]`, false, "staging", "production"), // staging -> production only
			finding("x.z", true, "dev", "staging"),              // dev -> staging, waived
			finding("only.dev", false, "dev"),                   // dev -> staging
		}},
		{Name: "b", Status: evidence.StatusInputError, Environments: envs},
		{Name: "c", Status: evidence.StatusParity, Environments: envs, Findings: []evidence.Finding{finding(`x.y["2"]`, false, "staging", "production")}},
	}}
	evidence.Finalize(d)
	cells := func(row int) []string {
		var out []string
		for _, c := range d.Matrix[row].Cells {
			out = append(out, string(c.Status))
		}
		return out
	}
	if got := cells(0); !reflect.DeepEqual(got, []string{"findings", "findings"}) || d.Matrix[0].Cells[0].Waived != 1 || d.Matrix[0].Cells[0].Errors != 1 {
		t.Errorf("stack a: %v %+v", got, d.Matrix[0].Cells)
	}
	if got := cells(1); !reflect.DeepEqual(got, []string{"input-error", "input-error"}) {
		t.Errorf("stack b: %v", got)
	}
	if got := cells(2); !reflect.DeepEqual(got, []string{"in-parity", "findings"}) {
		t.Errorf("stack c: %v", got)
	}
	if d.Stacks[0].Status != evidence.StatusFindings || d.Summary.WithFindings != 2 || d.Summary.InputError != 1 {
		t.Errorf("statuses: %s, summary %+v", d.Stacks[0].Status, d.Summary)
	}
	// x.y["1"] in a and x.y["2"] in c are one divergence of two stacks.
	if g := d.Groups[0]; g.Address != "x.y[*]" || g.Attribute != "input.size" || !reflect.DeepEqual(g.Stacks, []string{"a", "c"}) {
		t.Errorf("first group %+v, want x.y[*] input.size in a and c", g)
	}
	if len(d.Groups) != 2 {
		t.Errorf("%d groups, want 2 (waived findings are not grouped)", len(d.Groups))
	}
	if d.Evidence.Counts.Complete || len(d.Evidence.Counts.Skipped) != 1 || d.Evidence.Counts.Environments != 9 {
		t.Errorf("counts %+v", d.Evidence.Counts)
	}
	again := *d
	evidence.Finalize(&again)
	if !reflect.DeepEqual(&again, d) {
		t.Error("Finalize is not idempotent")
	}
}
