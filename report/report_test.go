package report

import (
	"errors"
	"reflect"
	"testing"
)

func TestParseSeverity(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Severity
		ok   bool
	}{
		{"error", SeverityError, true},
		{"warning", SeverityWarning, true},
		{"Error", "", false},
		{"critical", "", false},
		{"", "", false},
		{"waived", "", false},
	} {
		got, err := ParseSeverity(tc.in)
		var se *SeverityErr
		if got != tc.want || (err == nil) != tc.ok || (!tc.ok && (!errors.As(err, &se) || se.Value != tc.in)) {
			t.Errorf("ParseSeverity(%q) = %q, %v", tc.in, got, err)
		}
	}
}

func TestCountAndByRule(t *testing.T) {
	r := &Report{
		Rules: []Rule{{ID: "b", Title: "B"}, {ID: "c", Title: "C"}, {ID: "b", Title: "B again"}},
		Findings: []Finding{
			{Rule: "b", Severity: SeverityError, Address: "x"},
			{Rule: "b", Severity: SeverityError, Address: "y", Waived: true},
			{Rule: "a", Severity: SeverityWarning, Address: "z"},
			{Rule: "b", Severity: SeverityWarning, Address: "w"},
		},
	}
	r.Summarize()
	// A waived error is counted as waived, not as an error, in the
	// report's summary and in its rule's.
	if want := (Summary{Errors: 1, Warnings: 2, Waived: 1}); r.Summary != want {
		t.Errorf("summary %+v, want %+v", r.Summary, want)
	}
	if got, want := r.RuleIDs(), []string{"a", "b", "c"}; !reflect.DeepEqual(got, want) {
		t.Errorf("RuleIDs %q, want %q", got, want)
	}
	type group struct {
		id, title string
		addrs     []string
		sum       Summary
	}
	var got []group
	for _, g := range r.ByRule() {
		var addrs []string
		for _, f := range g.Findings {
			addrs = append(addrs, f.Address)
		}
		got = append(got, group{g.Rule.ID, g.Rule.Title, addrs, g.Summary})
	}
	want := []group{
		{"a", "", []string{"z"}, Summary{Warnings: 1}},
		{"b", "B", []string{"x", "y", "w"}, Summary{Errors: 1, Warnings: 1, Waived: 1}},
		{"c", "C", nil, Summary{}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ByRule\n got %+v\nwant %+v", got, want)
	}
}

func TestSort(t *testing.T) {
	r := &Report{Findings: []Finding{
		{Rule: "b", Address: "a"},
		{Rule: "a", Address: "b", Environments: []string{"s", "p"}},
		{Rule: "a", Address: "b", Environments: []string{"p"}},
		{Rule: "a", Address: "a", Message: "2"},
		{Rule: "a", Address: "a", Message: "1"},
	}}
	r.Sort()
	var order []string
	for _, f := range r.Findings {
		order = append(order, f.Rule+f.Address+f.Message+joinEnvs(f.Environments))
	}
	want := []string{"aa1", "aa2", "abp\x00", "abs\x00p\x00", "ba"}
	if !reflect.DeepEqual(order, want) {
		t.Errorf("order %q, want %q", order, want)
	}
}

func TestPositions(t *testing.T) {
	one := Location{File: "lockstep.hcl", Line: 3}
	many := []Location{{File: "a.tf", Line: 1}, {File: "b.tf", Line: 2}}
	for _, tc := range []struct {
		f    Finding
		want []Location
	}{
		{Finding{}, nil},
		{Finding{Location: &one}, []Location{one}},
		{Finding{Location: &many[0], Locations: many}, many},
	} {
		if got := tc.f.Positions(); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Positions() = %v, want %v", got, tc.want)
		}
	}
}
