package policy

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/lockstep-iac/lockstep/config"
	"github.com/lockstep-iac/lockstep/report"
)

// WaiverStatus is one lockstep.hcl waiver as the waiver-stage rules
// (expired-waiver) see it: what it says, whether it has expired, and how
// many findings of this run it covers.
type WaiverStatus struct {
	Name      string   `json:"name"`
	Rule      string   `json:"rule"`
	Resources []string `json:"resources"`
	Owner     string   `json:"owner"`
	Reason    string   `json:"reason"`
	Expires   string   `json:"expires"`
	Expired   bool     `json:"expired"`
	// Matched counts the findings the waiver covers, whether or not another
	// waiver covered them first; for an expired waiver, the findings it
	// would cover.
	Matched int `json:"matched"`
	// File and Line locate the waiver block in lockstep.hcl.
	File string `json:"file"`
	Line int    `json:"line"`
}

// WaiverInput is the document waiver-stage rules receive as `input`.
type WaiverInput struct {
	Version      int            `json:"version"`
	Environments []string       `json:"environments"`
	Today        string         `json:"today"`
	Waivers      []WaiverStatus `json:"waivers"`
	// Declarations are lockstep.hcl's expect_difference and only_in
	// blocks, in that order, each in declaration order.
	Declarations []DeclarationStatus `json:"declarations"`
}

// ApplyWaivers marks the findings that an unexpired waiver covers and
// returns every waiver's status. Waived findings stay in the report (with
// "waived": true) so the evidence of what was accepted, by whom and until
// when, is never lost. An expired waiver suppresses nothing. today is
// compared as a UTC calendar day.
func ApplyWaivers(findings []report.Finding, waivers []config.Waiver, today time.Time) []WaiverStatus {
	status := make([]WaiverStatus, len(waivers))
	for i, w := range waivers {
		st := WaiverStatus{Name: w.Name, Rule: w.Rule, Resources: []string{}, Owner: w.Owner, Reason: w.Reason,
			Expires: w.ExpiresText, Expired: w.Expired(today), File: w.Range.Filename, Line: w.Range.Start.Line}
		for _, p := range w.Resources {
			st.Resources = append(st.Resources, p.String())
		}
		status[i] = st
	}
	for i := range findings {
		f := &findings[i]
		for j, w := range waivers {
			if !waiverCovers(w, f) {
				continue
			}
			status[j].Matched++
			if status[j].Expired || f.Waived {
				continue
			}
			f.Waived = true
			f.Waiver = &report.Waiver{Name: w.Name, Owner: w.Owner, Reason: w.Reason, Expires: w.ExpiresText}
		}
	}
	return status
}

func waiverCovers(w config.Waiver, f *report.Finding) bool {
	if w.Rule != f.Rule {
		return false
	}
	if len(w.Resources) == 0 {
		return true
	}
	candidates := []string{f.Address}
	for _, a := range f.Details.Addresses {
		candidates = append(candidates, a)
	}
	for _, p := range w.Resources {
		for _, a := range candidates {
			if p.Match(a) {
				return true
			}
		}
	}
	return false
}

// NewWaiverInput converts the waivers' status into the OPA value the
// waiver-stage rules receive.
func NewWaiverInput(environments []string, today time.Time, waivers []WaiverStatus, declarations []DeclarationStatus) (ast.Value, error) {
	if waivers == nil {
		waivers = []WaiverStatus{}
	}
	if declarations == nil {
		declarations = []DeclarationStatus{}
	}
	doc := WaiverInput{Version: InputVersion, Environments: environments, Today: today.UTC().Format(time.DateOnly), Waivers: waivers, Declarations: declarations}
	b, err := json.Marshal(doc)
	if err != nil {
		return nil, fmt.Errorf("encode waiver input: %w", err)
	}
	v, err := ast.ValueFromReader(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("convert waiver input: %w", err)
	}
	return v, nil
}
