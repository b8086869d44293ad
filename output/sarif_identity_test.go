package output

// SARIF identities: rule names, fingerprints and artifact URIs.

import (
	"testing"

	"github.com/lockstep-iac/lockstep/report"
)

func TestSARIFRuleName(t *testing.T) {
	for id, want := range map[string]string{
		"missing-resource":     "MissingResource",
		"attribute-divergence": "AttributeDivergence",
		"org.tagging_required": "OrgTaggingRequired",
		"MissingResource":      "MissingResourceRule",
		"LS001":                "LS001Rule",
		"---":                  "Rule",
	} {
		if got := sarifRuleName(id); got != want {
			t.Errorf("sarifRuleName(%q) = %q, want %q", id, got, want)
		}
	}
}

// TestSARIFFingerprintStable: a finding keeps its fingerprint when its line,
// column or message change, and gets another when what identifies it does.
func TestSARIFFingerprintStable(t *testing.T) {
	base := report.Finding{Rule: "attribute-divergence", Severity: "error", Address: trickyAddress,
		Environments: []string{"staging", "production"}, Message: "engine_version differs: 15.4, 14.9",
		Locations: []report.Location{{File: "db.tf", Line: 12}}}
	fp := func(f report.Finding) string {
		r := &report.Report{Environments: []report.Environment{{Name: "staging", Source: "s.json"}}, Findings: []report.Finding{f}}
		return parseSARIF(t, r).Runs[0].Results[0].PartialFingerprints[sarifFingerprintKey]
	}
	want := fp(base)

	moved := base
	moved.Locations = []report.Location{{File: "db.tf", Line: 40, Column: 7, EndLine: 44}}
	moved.Message = "engine_version differs: 15.5, 14.9"
	moved.Environments = []string{"production", "staging"}
	if got := fp(moved); got != want {
		t.Errorf("moved/reworded finding: fingerprint %s, want %s", got, want)
	}

	for name, change := range map[string]func(*report.Finding){
		"environments": func(f *report.Finding) { f.Environments = []string{"staging", "qa"} },
		"address":      func(f *report.Finding) { f.Address += ".other" },
		"rule":         func(f *report.Finding) { f.Rule = "one-sided-change" },
		"version":      func(f *report.Finding) { f.Details.Version = &report.VersionDetail{Kind: "provider", Name: "x"} },
		"waiver":       func(f *report.Finding) { f.Details.Waiver = &report.WaiverDetail{Name: "w"} },
	} {
		f := base
		change(&f)
		if got := fp(f); got == want {
			t.Errorf("changing %s kept fingerprint %s", name, got)
		}
	}

	// Two version-skew findings differ by their versioned item only.
	v1, v2 := base, base
	v1.Address, v2.Address = "", ""
	v1.Details.Version = &report.VersionDetail{Kind: "provider", Name: "a"}
	v2.Details.Version = &report.VersionDetail{Kind: "provider", Name: "b"}
	if fp(v1) == fp(v2) {
		t.Error("version-skew findings on different providers share a fingerprint")
	}

	// Duplicates in one report are told apart, deterministically.
	dup := base
	dup.Message = "another message"
	r := &report.Report{Environments: []report.Environment{{Name: "staging"}}, Findings: []report.Finding{base, dup, dup}}
	res := parseSARIF(t, r).Runs[0].Results
	seen := map[string]bool{}
	for _, x := range res {
		seen[x.PartialFingerprints[sarifFingerprintKey]] = true
	}
	if len(seen) != 3 {
		t.Errorf("duplicate findings share fingerprints: %v", seen)
	}
	if res[0].PartialFingerprints[sarifFingerprintKey] != want {
		t.Error("the first of several findings must keep the plain fingerprint")
	}
	again := parseSARIF(t, r).Runs[0].Results
	for i := range res {
		if res[i].PartialFingerprints[sarifFingerprintKey] != again[i].PartialFingerprints[sarifFingerprintKey] {
			t.Errorf("result %d: fingerprint not deterministic", i)
		}
	}
}

func TestSARIFArtifactURI(t *testing.T) {
	for file, want := range map[string]sarifArtifact{
		"modules/app/main.tf":   {URI: "modules/app/main.tf", URIBaseID: sarifSrcRoot},
		`envs\prod\main.tf`:     {URI: "envs/prod/main.tf", URIBaseID: sarifSrcRoot},
		"./lockstep.hcl":        {URI: "lockstep.hcl", URIBaseID: sarifSrcRoot},
		"my dir/a:b.tf":         {URI: "my%20dir/a:b.tf", URIBaseID: sarifSrcRoot},
		"c:d.tf":                {URI: "./c:d.tf", URIBaseID: sarifSrcRoot},
		"/home/ci/plans/a.json": {URI: "file:///home/ci/plans/a.json"},
		`C:\work\main.tf`:       {URI: "file:///C:/work/main.tf"},
	} {
		if got := sarifArtifactFor(file); got != want {
			t.Errorf("sarifArtifactFor(%q) = %+v, want %+v", file, got, want)
		}
	}
}
