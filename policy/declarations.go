package policy

import (
	"fmt"

	"github.com/lockstep-iac/lockstep/config"
	"github.com/lockstep-iac/lockstep/parity"
)

// DeclarationStatus is one expect_difference or only_in block of
// lockstep.hcl as the waiver-stage rules (unused-declaration,
// unreviewed-declaration) see it: what it says, and what of it matched
// nothing in this run.
type DeclarationStatus struct {
	// Kind is the block type: "expect_difference" or "only_in".
	Kind string `json:"kind"`
	// Name is the block label: the declaration's name, or only_in's
	// environment as written.
	Name   string `json:"name"`
	Reason string `json:"reason"`
	// Resources and Attributes are the block's patterns as written
	// (Attributes is empty for only_in).
	Resources  []string `json:"resources"`
	Attributes []string `json:"attributes"`
	// UnmatchedResources are the resources patterns, as written, that
	// matched no resource; UnmatchedAttributes the attributes patterns
	// that matched no path of a resource the block selects (all of them
	// when it selects none).
	UnmatchedResources  []string `json:"unmatched_resources"`
	UnmatchedAttributes []string `json:"unmatched_attributes"`
	// UnknownEnvironment is true when only_in's label is neither an
	// environment compared in this run nor one's alias.
	UnknownEnvironment bool `json:"unknown_environment"`
	// File and Line locate the block in lockstep.hcl.
	File string `json:"file"`
	Line int    `json:"line"`
}

// Declarations pairs the config's expect_difference and only_in blocks with
// what parity.Build recorded of them, given in the same order (check builds
// one parity declaration per block). A nil usage, or one of another length,
// reports every pattern as matched rather than guessing.
func Declarations(cfg *config.Config, u *parity.Usage) []DeclarationStatus {
	out := []DeclarationStatus{}
	if cfg == nil {
		return out
	}
	for i, d := range cfg.ExpectDifferences {
		st := DeclarationStatus{Kind: "expect_difference", Name: d.Name, Reason: d.Reason,
			Resources: patterns(d.Resources), Attributes: patterns(d.Attributes),
			UnmatchedResources: []string{}, UnmatchedAttributes: []string{}, File: d.Range.Filename, Line: d.Range.Start.Line}
		if u != nil && i < len(u.Declared) {
			du := u.Declared[i]
			for j, p := range d.Resources {
				if j < len(du.Resources) && !du.Resources[j] {
					st.UnmatchedResources = append(st.UnmatchedResources, p.String())
				}
			}
			for j, p := range d.Attributes {
				if j < len(du.Attributes) && !du.Attributes[j] {
					st.UnmatchedAttributes = append(st.UnmatchedAttributes, p.String())
				}
			}
		}
		out = append(out, st)
	}
	for i, o := range cfg.OnlyIn {
		st := DeclarationStatus{Kind: "only_in", Name: o.Environment, Reason: o.Reason,
			Resources: patterns(o.Resources), Attributes: []string{},
			UnmatchedResources: []string{}, UnmatchedAttributes: []string{}, File: o.Range.Filename, Line: o.Range.Start.Line}
		if u != nil && i < len(u.OnlyIn) {
			ou := u.OnlyIn[i]
			st.UnknownEnvironment = !ou.Env
			for j, p := range o.Resources {
				if j < len(ou.Resources) && !ou.Resources[j] {
					st.UnmatchedResources = append(st.UnmatchedResources, p.String())
				}
			}
		}
		out = append(out, st)
	}
	return out
}

// patterns is each pattern as written.
func patterns[P fmt.Stringer](ps []P) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.String()
	}
	return out
}
