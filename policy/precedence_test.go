package policy

import (
	"reflect"
	"testing"

	"github.com/lockstep-iac/lockstep/report"
)

// TestSupersede: one root cause, one finding (issue 16). A finding of a
// more specific rule on the same address takes the other in as
// details.related; anything else is left as it is.
func TestSupersede(t *testing.T) {
	f := func(rule, addr string, sev report.Severity) report.Finding {
		return report.Finding{Rule: rule, Address: addr, Severity: sev, Environments: []string{"staging", "production"}, Message: rule + " on " + addr}
	}
	rel := func(x report.Finding) report.Related {
		return report.Related{Rule: x.Rule, Severity: x.Severity, Environments: x.Environments, Message: x.Message, Details: x.Details}
	}
	with := func(w report.Finding, losers ...report.Finding) report.Finding {
		for _, l := range losers {
			w.Details.Related = append(w.Details.Related, rel(l))
		}
		return w
	}
	// presence makes x a finding about the resource's presence.
	presence := func(x report.Finding) report.Finding {
		x.Details.Missing = []string{"staging"}
		return x
	}
	const e, w = report.SeverityError, report.SeverityWarning
	po, osc := f("promotion-order", "a.db", e), f("one-sided-change", "a.db", e)
	cer, mr := f("cross-env-reference", "a.r", e), f("missing-resource", "a.r", e)
	for _, tc := range []struct {
		name     string
		in, want []report.Finding
	}{
		{"promotion-order over one-sided-change", []report.Finding{osc, po}, []report.Finding{with(po, osc)}},
		{"cross-env-reference over missing-resource", []report.Finding{mr, cer, f("attribute-divergence", "a.r", e)},
			[]report.Finding{with(cer, mr), f("attribute-divergence", "a.r", e)}},
		{"other addresses stay", []report.Finding{po, f("one-sided-change", "a.other", e)}, []report.Finding{po, f("one-sided-change", "a.other", e)}},
		{"not the other way round", []report.Finding{f("one-sided-change", "x", e), f("missing-resource", "y", e)},
			[]report.Finding{f("one-sided-change", "x", e), f("missing-resource", "y", e)}},
		{"an error is not folded into a warning", []report.Finding{f("promotion-order", "a.db", w), osc},
			[]report.Finding{f("promotion-order", "a.db", w), osc}},
		{"a warning is folded into an error", []report.Finding{po, f("one-sided-change", "a.db", w)},
			[]report.Finding{with(po, f("one-sided-change", "a.db", w))}},
		{"environment-level findings are never folded", []report.Finding{f("promotion-order", "", e), f("one-sided-change", "", e)},
			[]report.Finding{f("promotion-order", "", e), f("one-sided-change", "", e)}},
		{"nothing to fold", nil, nil},
		{"cross-env-reference over a presence one-sided-change and promotion-order", []report.Finding{presence(f("one-sided-change", "a.r", e)), presence(f("promotion-order", "a.r", e)), cer},
			[]report.Finding{with(cer, presence(f("promotion-order", "a.r", e)), presence(f("one-sided-change", "a.r", e)))}},
		{"cross-env-reference leaves an attribute's one-sided-change", []report.Finding{f("one-sided-change", "a.r", e), cer},
			[]report.Finding{f("one-sided-change", "a.r", e), cer}},
		{"a folded finding takes nothing in", []report.Finding{presence(f("promotion-order", "a.r", e)), f("one-sided-change", "a.r", e), cer},
			[]report.Finding{f("one-sided-change", "a.r", e), with(cer, presence(f("promotion-order", "a.r", e)))}},
		{"the most specific finding takes everything in", []report.Finding{presence(f("promotion-order", "a.r", e)), presence(f("one-sided-change", "a.r", e)), cer, mr},
			[]report.Finding{with(cer, mr, presence(f("promotion-order", "a.r", e)), presence(f("one-sided-change", "a.r", e)))}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Supersede(tc.in)
			if len(got) == 0 && len(tc.want) == 0 {
				return
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got\n%+v\nwant\n%+v", got, tc.want)
			}
		})
	}
}

// TestPrecedenceDocumented: the documentation reads the one table.
func TestPrecedenceDocumented(t *testing.T) {
	losers, presence := Supersedes("cross-env-reference")
	if !reflect.DeepEqual(losers, []string{"missing-resource", "promotion-order", "one-sided-change"}) || !reflect.DeepEqual(presence, []bool{false, true, true}) {
		t.Errorf("Supersedes(cross-env-reference) = %v %v", losers, presence)
	}
	winners, presence := SupersededBy("one-sided-change")
	if !reflect.DeepEqual(winners, []string{"cross-env-reference", "promotion-order"}) || !reflect.DeepEqual(presence, []bool{true, false}) {
		t.Errorf("SupersededBy(one-sided-change) = %v %v", winners, presence)
	}
}
