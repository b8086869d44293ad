// Tests of the SARIF and JUnit formats: golden files of hand-built reports
// that exercise the awkward cases (several locations, none, waivers,
// environment-level findings, a rule missing from Report.Rules, addresses
// and messages full of characters that need escaping), validation of every
// SARIF output against the official SARIF 2.1.0 schema, and the properties
// CI systems rely on: stable fingerprints, unique test names, no leaked
// values.

package output

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lockstep-iac/lockstep/internal/golden"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/lockstep-iac/lockstep/internal/sarifschema"
	"github.com/lockstep-iac/lockstep/report"
)

const trickyAddress = `module.net["eu.west"].x.y[0]`

// ciReport is a report with one of every case the CI formats must handle.
func ciReport() *report.Report {
	r := &report.Report{
		Version: report.SchemaVersion,
		Tool:    report.Tool{Name: "lockstep", Version: "0.3.0"},
		Environments: []report.Environment{
			{Name: "staging", Source: "plans/staging.json", Kind: "plan"},
			{Name: "production", Source: "plans/production.json", Kind: "plan"},
		},
		Rules: []report.Rule{
			{ID: "attribute-divergence", Title: "Attribute divergence", Severity: "error",
				Description: "A matched resource's attribute differs between environments.",
				Remediation: "Make the attribute equal, or declare the difference with expect_difference.",
				HelpURI:     "https://github.com/lockstep-iac/lockstep/blob/main/docs/rules.md#attribute-divergence", Builtin: true},
			{ID: "expired-waiver", Title: "Expired waiver", Severity: "error",
				Description: "A waiver's expiry date has passed.", Builtin: true,
				HelpURI: "https://github.com/lockstep-iac/lockstep/blob/main/docs/rules.md#expired-waiver"},
			{ID: "missing-resource", Title: "Missing resource", Severity: "error", Builtin: true},
			{ID: "one-sided-change", Title: "One-sided change", Severity: "error", Builtin: true,
				Description: "A plan changes a resource in one environment only."},
			{ID: "shared-secret", Title: "Shared secret", Severity: "error", Builtin: true},
			{ID: "version-skew", Title: "Version skew", Severity: "warning", Builtin: true,
				Remediation: "Upgrade the lagging environment."},
		},
		Findings: []report.Finding{
			{Rule: "attribute-divergence", Severity: "error", Address: trickyAddress,
				Environments: []string{"staging", "production"},
				Message:      "engine_version differs: staging \"15.4\" <new> & production 14.9\n100% sure",
				Details: report.Details{Attributes: []report.AttributeDetail{{Path: "engine_version",
					Values: map[string]any{"staging": "15.4", "production": "14.9"},
					Before: map[string]any{"staging": "15.3", "production": "14.9"}}}},
				Location: &report.Location{File: "envs/staging/db.tf", Line: 12, Column: 3, EndLine: 12, Attribute: "engine_version", Environments: []string{"staging"}},
				Locations: []report.Location{
					{File: "envs/staging/db.tf", Line: 12, Column: 3, EndLine: 12, Attribute: "engine_version", Environments: []string{"staging"}},
					{File: `envs\production\db.tf`, Line: 14, Column: 3, EndLine: 14, Attribute: "engine_version", Environments: []string{"production"}},
				}},
			{Rule: "attribute-divergence", Severity: "error", Address: "aws_db_instance.main",
				Environments: []string{"staging", "production"}, Message: "instance_class differs",
				Details: report.Details{Attributes: []report.AttributeDetail{{Path: "instance_class",
					Values: map[string]any{"staging": "db.t3.small", "production": "db.r6g.large"}}}},
				Location:  &report.Location{File: "modules/app/db.tf", Line: 3, EndLine: 20, Environments: []string{"staging", "production"}},
				Locations: []report.Location{{File: "modules/app/db.tf", Line: 3, EndLine: 20, Environments: []string{"staging", "production"}}},
				Waived:    true,
				Waiver:    &report.Waiver{Name: "db-size", Owner: "team-data", Reason: "production needs <more> & \"bigger\"", Expires: "2027-01-31"}},
			{Rule: "missing-resource", Severity: "error", Address: "aws_s3_bucket.logs",
				Environments: []string{"production", "staging"}, Message: "only in staging",
				Details: report.Details{Present: []string{"staging"}, Missing: []string{"production"}}},
			{Rule: "shared-secret", Severity: "error", Address: "aws_db_instance.main",
				Environments: []string{"staging", "production"}, Message: "password is the same secret in staging and production",
				Details: report.Details{Attributes: []report.AttributeDetail{{Path: "password",
					Values: map[string]any{"staging": "(sensitive)", "production": "(sensitive)"}}}}},
			{Rule: "version-skew", Severity: "warning", Environments: []string{"staging", "production"},
				Message: "provider registry.terraform.io/hashicorp/null differs: staging 3.2.1, production 3.2.3",
				Details: report.Details{Version: &report.VersionDetail{Kind: "provider", Name: "registry.terraform.io/hashicorp/null",
					Values:  map[string]string{"staging": "3.2.1", "production": "3.2.3"},
					Sources: map[string]string{"staging": "envs/staging/.terraform.lock.hcl"}}}},
			{Rule: "version-skew", Severity: "warning", Environments: []string{"staging", "production"},
				Message: "terraform differs: staging 1.11.4, production 1.10.0",
				Details: report.Details{Version: &report.VersionDetail{Kind: "terraform", Values: map[string]string{"staging": "1.11.4", "production": "1.10.0"}}}},
			{Rule: "expired-waiver", Severity: "error", Environments: []string{},
				Message:  `waiver "feature-flag-rollout" expired on 2025-01-01`,
				Details:  report.Details{Waiver: &report.WaiverDetail{Name: "feature-flag-rollout", Rule: "attribute-divergence", Owner: "team-web", Reason: "rollout", Expires: "2025-01-01", Expired: true}},
				Location: &report.Location{File: "lockstep.hcl", Line: 27, EndLine: 33}},
			// A user rule the report does not describe, reporting one
			// address twice.
			{Rule: "org.tagging", Severity: "warning", Address: trickyAddress,
				Environments: []string{"staging", "production"}, Message: "tag owner missing",
				Details: report.Details{Extra: map[string]any{"tag": "owner"}}},
			{Rule: "org.tagging", Severity: "warning", Address: trickyAddress,
				Environments: []string{"staging", "production"}, Message: "tag cost-center missing"},
		},
	}
	r.Sort()
	r.Summarize()
	return r
}

// emptyReport is a run with rules and no findings.
func emptyReport() *report.Report {
	r := &report.Report{
		Version:      report.SchemaVersion,
		Tool:         report.Tool{Name: "lockstep", Version: "dev"},
		Environments: []report.Environment{{Name: "staging", Source: "staging.json"}, {Name: "production", Source: "production.json"}},
		Rules: []report.Rule{
			{ID: "missing-resource", Title: "Missing resource", Severity: "error", Builtin: true},
			{ID: "version-skew", Title: "Version skew", Severity: "warning", Builtin: true},
		},
		Findings: []report.Finding{},
	}
	r.Summarize()
	return r
}

func TestCIFormatsGolden(t *testing.T) {
	reports := map[string]func() *report.Report{"full": ciReport, "empty": emptyReport}
	for _, tc := range []struct {
		name   string
		format string
		report string
	}{
		{"full.sarif", "sarif", "full"},
		{"empty.sarif", "sarif", "empty"},
		{"full.junit.xml", "junit", "full"},
		{"empty.junit.xml", "junit", "empty"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, err := Lookup(tc.format)
			if err != nil {
				t.Fatal(err)
			}
			got := render(t, f, reports[tc.report]())
			if again := render(t, f, reports[tc.report]()); !bytes.Equal(got, again) {
				t.Error("output differs between two runs")
			}
			if tc.format == "sarif" {
				validateSARIF(t, got)
			}
			golden.Assert(t, tc.name, got)
		})
	}
}

// validateSARIF checks a SARIF log against the official 2.1.0 schema
// (internal/sarifschema), formats included.
func validateSARIF(t *testing.T, doc []byte) {
	t.Helper()
	if err := sarifschema.Validate(doc); err != nil {
		t.Fatal(err)
	}
}

// loadSARIFSchema is the compiled schema, for tests that break documents.
func loadSARIFSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	s, err := sarifschema.Schema()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestSARIFSchemaRejects proves the validation is not vacuous: outputs
// broken the ways a formatter could break them fail it.
func TestSARIFSchemaRejects(t *testing.T) {
	schema := loadSARIFSchema(t)
	for name, breakIt := range map[string]func(res map[string]any){
		"unknown level":    func(res map[string]any) { res["level"] = "fatal" },
		"line 0":           func(res map[string]any) { location(res)["region"] = map[string]any{"startLine": 0} },
		"unknown property": func(res map[string]any) { res["logicalLocations"] = "x" },
		"no message":       func(res map[string]any) { delete(res, "message") },
		"unbroken":         nil,
		"bad uri":          func(res map[string]any) { location(res)["artifactLocation"] = map[string]any{"uri": "a b\\c"} },
	} {
		t.Run(name, func(t *testing.T) {
			var doc map[string]any
			if err := json.Unmarshal(render(t, SARIF{}, ciReport()), &doc); err != nil {
				t.Fatal(err)
			}
			res := doc["runs"].([]any)[0].(map[string]any)["results"].([]any)[0].(map[string]any)
			if breakIt == nil {
				if err := schema.Validate(doc); err != nil {
					t.Errorf("the unbroken output fails: %v", err)
				}
				return
			}
			breakIt(res)
			if err := schema.Validate(doc); err == nil {
				t.Error("the schema accepts it")
			}
		})
	}
}

func location(res map[string]any) map[string]any {
	return res["locations"].([]any)[0].(map[string]any)["physicalLocation"].(map[string]any)
}

// TestSARIFGoldenFilesValidate validates every SARIF golden file as
// checked in, whichever test wrote it.
func TestSARIFGoldenFilesValidate(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "golden", "*.sarif"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no SARIF golden files (run the tests with -update)")
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			doc, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			validateSARIF(t, doc)
		})
	}
}

type sarifTestLocation struct {
	ID               int `json:"id"`
	PhysicalLocation struct {
		ArtifactLocation struct {
			URI string `json:"uri"`
		} `json:"artifactLocation"`
		Region struct {
			StartLine int `json:"startLine"`
		} `json:"region"`
	} `json:"physicalLocation"`
	Message struct {
		Text string `json:"text"`
	} `json:"message"`
}

type sarifDoc struct {
	Runs []struct {
		AutomationDetails struct {
			ID string `json:"id"`
		} `json:"automationDetails"`
		Tool struct {
			Driver struct {
				Rules []struct {
					ID   string `json:"id"`
					Name string `json:"name"`
				} `json:"rules"`
			} `json:"driver"`
		} `json:"tool"`
		Results []struct {
			RuleID              string            `json:"ruleId"`
			RuleIndex           int               `json:"ruleIndex"`
			Level               string            `json:"level"`
			PartialFingerprints map[string]string `json:"partialFingerprints"`
			Message             struct {
				Text string `json:"text"`
			} `json:"message"`
			Locations        []sarifTestLocation `json:"locations"`
			RelatedLocations []sarifTestLocation `json:"relatedLocations"`
			Suppressions     []struct {
				Justification string `json:"justification"`
			} `json:"suppressions"`
			Properties map[string]any `json:"properties"`
		} `json:"results"`
	} `json:"runs"`
}

func parseSARIF(t *testing.T, r *report.Report) sarifDoc {
	t.Helper()
	var doc sarifDoc
	if err := json.Unmarshal(render(t, SARIF{}, r), &doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

// TestSARIFResults checks what GitHub relies on, case by case.
func TestSARIFResults(t *testing.T) {
	r := ciReport()
	doc := parseSARIF(t, r)
	run := doc.Runs[0]
	if run.AutomationDetails.ID != "lockstep/staging-production/" {
		t.Errorf("automationDetails.id = %q", run.AutomationDetails.ID)
	}
	rules := run.Tool.Driver.Rules
	for i, rule := range rules {
		if i > 0 && rules[i-1].ID >= rule.ID {
			t.Errorf("rules not sorted by id: %q before %q", rules[i-1].ID, rule.ID)
		}
		if rule.Name == rule.ID || rule.Name == "" {
			t.Errorf("rule %q has name %q (SARIF1001)", rule.ID, rule.Name)
		}
	}
	if len(run.Results) != len(r.Findings) {
		t.Fatalf("%d results for %d findings", len(run.Results), len(r.Findings))
	}
	fps := map[string]bool{}
	for i, res := range run.Results {
		f := r.Findings[i]
		if rules[res.RuleIndex].ID != res.RuleID || res.RuleID != f.Rule {
			t.Errorf("result %d: ruleId %q, ruleIndex %d -> %q", i, res.RuleID, res.RuleIndex, rules[res.RuleIndex].ID)
		}
		if len(res.Locations) == 0 || res.Locations[0].PhysicalLocation.ArtifactLocation.URI == "" {
			t.Errorf("result %d (%s %s) has no physical location", i, f.Rule, f.Address)
		}
		fp := res.PartialFingerprints[sarifFingerprintKey]
		if len(fp) != 32 || fps[fp] {
			t.Errorf("result %d: fingerprint %q missing, malformed or repeated", i, fp)
		}
		fps[fp] = true
		if (len(res.Suppressions) > 0) != f.Waived {
			t.Errorf("result %d: waived %v, suppressions %v", i, f.Waived, res.Suppressions)
		}
	}
	byKey := func(rule, addr string) []int {
		var idx []int
		for i, f := range r.Findings {
			if f.Rule == rule && f.Address == addr {
				idx = append(idx, i)
			}
		}
		return idx
	}
	// Two environments, two files: one location each, backslashes gone.
	tricky := run.Results[byKey("attribute-divergence", trickyAddress)[0]]
	// GitHub shows the first; the second is a related location linked
	// from the message.
	if n := len(tricky.Locations); n != 1 || len(tricky.RelatedLocations) != 1 ||
		tricky.RelatedLocations[0].ID != 1 ||
		tricky.RelatedLocations[0].PhysicalLocation.ArtifactLocation.URI != "envs/production/db.tf" ||
		tricky.RelatedLocations[0].Message.Text != "production" ||
		!strings.HasSuffix(tricky.Message.Text, " (also in [production](1))") {
		t.Errorf("locations of %s: %+v, related %+v, message %q", trickyAddress, tricky.Locations, tricky.RelatedLocations, tricky.Message.Text)
	}
	if !strings.HasPrefix(tricky.Message.Text, trickyAddress+": engine_version differs") {
		t.Errorf("message %q", tricky.Message.Text)
	}
	// No location: the first environment's input file, line 1.
	missing := run.Results[byKey("missing-resource", "aws_s3_bucket.logs")[0]]
	if l := missing.Locations[0].PhysicalLocation; l.ArtifactLocation.URI != "plans/production.json" || l.Region.StartLine != 1 ||
		missing.Properties["lockstep/location"] != "input" {
		t.Errorf("fallback location: %+v, properties %v", missing.Locations, missing.Properties)
	}
	// Waiver findings point at lockstep.hcl.
	expired := run.Results[byKey("expired-waiver", "")[0]]
	if l := expired.Locations[0].PhysicalLocation; l.ArtifactLocation.URI != "lockstep.hcl" || l.Region.StartLine != 27 {
		t.Errorf("expired-waiver location: %+v", expired.Locations)
	}
	waived := run.Results[byKey("attribute-divergence", "aws_db_instance.main")[0]]
	if j := waived.Suppressions[0].Justification; j != `production needs <more> & "bigger" (owner team-data, until 2027-01-31, waiver db-size)` {
		t.Errorf("justification %q", j)
	}

	// A report without any input file: no physical location, and no panic.
	bare := &report.Report{Findings: []report.Finding{{Rule: "x", Severity: "error", Message: "m"}}}
	out := render(t, SARIF{}, bare)
	validateSARIF(t, out)
}

// TestCIFormatsRedaction: values are redacted before a formatter sees the
// report; the formatters must not print the fields that could still hold
// a raw value (details.extra, references), whatever is in them.
func TestCIFormatsRedaction(t *testing.T) {
	const raw = "hunter2-RAW-SECRET"
	r := &report.Report{
		Tool:         report.Tool{Name: "lockstep", Version: "1.0.0"},
		Environments: []report.Environment{{Name: "staging", Source: "s.json"}, {Name: "production", Source: "p.json"}},
		Rules:        []report.Rule{{ID: "shared-secret", Title: "Shared secret", Severity: "error", Builtin: true}},
		Findings: []report.Finding{{Rule: "shared-secret", Severity: "error", Address: "aws_db_instance.main",
			Environments: []string{"staging", "production"}, Message: "password is the same secret in staging and production",
			Details: report.Details{
				Attributes: []report.AttributeDetail{{Path: "password",
					Values: map[string]any{"staging": "(sensitive)", "production": "(sensitive)"},
					Before: map[string]any{"staging": "(sensitive)"}}},
				References: []report.Reference{{Env: "staging", Path: "password", Value: raw}},
				Actions:    map[string][]string{"staging": {raw}},
				Addresses:  map[string]string{"staging": raw},
				Extra:      map[string]any{"value": raw, "nested": map[string]any{"v": raw}},
			}}},
	}
	r.Summarize()
	for _, format := range []string{"sarif", "junit"} {
		f, err := Lookup(format)
		if err != nil {
			t.Fatal(err)
		}
		out := string(render(t, f, r))
		if strings.Contains(out, "hunter2") {
			t.Errorf("%s output leaks a raw value:\n%s", format, out)
		}
		if format == "junit" && !strings.Contains(out, `password: staging=&#34;(sensitive)&#34; production=&#34;(sensitive)&#34;`) {
			t.Errorf("junit output lacks the redacted values:\n%s", out)
		}
	}
}
