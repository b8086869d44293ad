// Tests of the JUnit format beyond its golden files: the XML parses back,
// its counts match the report's, and no two testcases share a
// (classname, name) pair, which GitLab would silently drop.

package output

import (
	"encoding/xml"
	"strings"
	"testing"

	"github.com/lockstep-iac/lockstep/report"
)

func TestJUnitParsesBack(t *testing.T) {
	for name, build := range map[string]func() *report.Report{"full": ciReport, "empty": emptyReport} {
		t.Run(name, func(t *testing.T) {
			r := build()
			out := render(t, JUnit{}, r)
			if !strings.HasPrefix(string(out), xml.Header) {
				t.Error("missing XML header")
			}
			var doc junitSuites
			if err := xml.Unmarshal(out, &doc); err != nil {
				t.Fatalf("output does not parse: %v", err)
			}
			ruleIDs := map[string]bool{}
			for _, rule := range r.Rules {
				ruleIDs[rule.ID] = true
			}
			withFindings := map[string]bool{}
			for _, f := range r.Findings {
				ruleIDs[f.Rule] = true
				withFindings[f.Rule] = true
			}
			wantTests := len(r.Findings) + len(ruleIDs) - len(withFindings)
			wantFailures := r.Summary.Errors + r.Summary.Warnings
			if doc.Name != "lockstep" || doc.Tests != wantTests || doc.Failures != wantFailures ||
				doc.Skipped != r.Summary.Waived || doc.Errors != 0 || doc.Time != "0" {
				t.Errorf("testsuites %s tests=%d failures=%d skipped=%d errors=%d time=%q, want tests=%d failures=%d skipped=%d",
					doc.Name, doc.Tests, doc.Failures, doc.Skipped, doc.Errors, doc.Time, wantTests, wantFailures, r.Summary.Waived)
			}
			if len(doc.Suites) != len(ruleIDs) {
				t.Errorf("%d suites for %d rules", len(doc.Suites), len(ruleIDs))
			}
			keys := map[[2]string]bool{}
			var tests, failures, skipped int
			for _, s := range doc.Suites {
				var sf, ss int
				for _, c := range s.Cases {
					key := [2]string{c.Classname, c.Name}
					if keys[key] {
						t.Errorf("duplicate testcase classname=%q name=%q", c.Classname, c.Name)
					}
					keys[key] = true
					if c.Classname != s.Name || c.Time != "0" {
						t.Errorf("testcase %q: classname %q in suite %q, time %q", c.Name, c.Classname, s.Name, c.Time)
					}
					if c.Failure != nil {
						sf++
						if c.Failure.Message == "" || !strings.Contains(c.Failure.Body, c.Failure.Message) {
							t.Errorf("testcase %q: failure message %q not in body %q", c.Name, c.Failure.Message, c.Failure.Body)
						}
						if c.Failure.Type != "error" && c.Failure.Type != "warning" {
							t.Errorf("testcase %q: failure type %q", c.Name, c.Failure.Type)
						}
					}
					if c.Skipped != nil {
						ss++
					}
				}
				if s.Tests != len(s.Cases) || s.Failures != sf || s.Skipped != ss || s.Time != "0" {
					t.Errorf("suite %s: tests=%d failures=%d skipped=%d, counted %d/%d/%d", s.Name, s.Tests, s.Failures, s.Skipped, len(s.Cases), sf, ss)
				}
				if !withFindings[s.Name] && (len(s.Cases) != 1 || s.Cases[0].Name != s.Name+" (no findings)" || s.Cases[0].Failure != nil) {
					t.Errorf("suite %s without findings: %+v", s.Name, s.Cases)
				}
				tests += s.Tests
				failures += s.Failures
				skipped += s.Skipped
			}
			if tests != doc.Tests || failures != doc.Failures || skipped != doc.Skipped {
				t.Errorf("suite counts add up to %d/%d/%d, testsuites says %d/%d/%d", tests, failures, skipped, doc.Tests, doc.Failures, doc.Skipped)
			}
		})
	}
}

func TestJUnitCases(t *testing.T) {
	var doc junitSuites
	if err := xml.Unmarshal(render(t, JUnit{}, ciReport()), &doc); err != nil {
		t.Fatal(err)
	}
	cases := map[string]junitCase{}
	for _, s := range doc.Suites {
		for _, c := range s.Cases {
			cases[c.Classname+" | "+c.Name] = c
		}
	}
	get := func(key string) junitCase {
		t.Helper()
		c, ok := cases[key]
		if !ok {
			var keys []string
			for k := range cases {
				keys = append(keys, k)
			}
			t.Fatalf("no testcase %q among %q", key, keys)
		}
		return c
	}
	tricky := get("attribute-divergence | " + trickyAddress)
	if tricky.File != "envs/staging/db.tf" || tricky.Line != 12 || tricky.Failure == nil {
		t.Errorf("tricky testcase: %+v", tricky)
	} else {
		for _, want := range []string{
			"engine_version differs: staging \"15.4\" <new> & production 14.9\n100% sure",
			"environments: staging, production",
			"location: envs/staging/db.tf:12 (staging)",
			`location: envs\production\db.tf:14 (production)`,
			`engine_version: staging="15.4" production="14.9" (before: staging="15.3" production="14.9")`,
		} {
			if !strings.Contains(tricky.Failure.Body, want) {
				t.Errorf("failure body lacks %q:\n%s", want, tricky.Failure.Body)
			}
		}
	}
	waived := get("attribute-divergence | aws_db_instance.main")
	if waived.Skipped == nil || waived.Failure != nil ||
		waived.Skipped.Message != `waived by db-size (team-data, until 2027-01-31): production needs <more> & "bigger"` {
		t.Errorf("waived testcase: %+v %+v", waived, waived.Skipped)
	}
	if c := get("version-skew | provider registry.terraform.io/hashicorp/null"); c.Failure == nil || c.Failure.Type != "warning" {
		t.Errorf("version-skew testcase: %+v", c)
	}
	get("version-skew | terraform")
	if c := get("expired-waiver | waiver feature-flag-rollout"); c.File != "lockstep.hcl" || c.Line != 27 {
		t.Errorf("expired-waiver testcase: %+v", c)
	}
	// One user rule firing twice on one address with the same
	// environments: the second gets "#2".
	get("org.tagging | " + trickyAddress + " (staging, production)")
	get("org.tagging | " + trickyAddress + " (staging, production) #2")
	if c := get("missing-resource | aws_s3_bucket.logs"); c.File != "" || c.Line != 0 {
		t.Errorf("a finding without a location has file %q line %d", c.File, c.Line)
	}
	get("one-sided-change | one-sided-change (no findings)")
}

func TestJUnitNames(t *testing.T) {
	fs := []report.Finding{
		{Address: "a", Environments: []string{"staging"}},
		{Address: "a", Environments: []string{"production"}},
		{Address: "b", Environments: []string{"staging"}},
		{Message: "first line\nsecond line"},
		{},
		{Details: report.Details{Version: &report.VersionDetail{Kind: "module-source", Name: "app"}}},
		{Address: "c #2"},
		{Address: "c"},
		{Address: "c"},
	}
	want := []string{"a (staging)", "a (production)", "b", "first line", "(environment)", "module-source app", "c #2", "c", "c #3"}
	got := junitNames(fs)
	if len(got) != len(want) {
		t.Fatalf("names %q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("name %d = %q, want %q", i, got[i], want[i])
		}
	}
}
