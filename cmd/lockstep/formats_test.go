package main

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"

	"github.com/lockstep-iac/lockstep/internal/golden"
	"github.com/lockstep-iac/lockstep/internal/sarifschema"
	"github.com/lockstep-iac/lockstep/output"
)

// formatFiles are the outputs one run writes besides the github format on
// standard output, by golden file extension.
var formatFiles = []struct{ format, ext string }{
	{"text", "txt"},
	{"json", "json"},
	{"sarif", "sarif"},
	{"junit", "junit.xml"},
	{"markdown", "md"},
}

// dirPerEnv reports whether a scenario has one root module directory per
// environment (envs/ENV) rather than workspaces of testdata/terraform.
func dirPerEnv(scenario string) bool {
	return scenario == "i-dir-per-env" || scenario == "j-cross-env-sensitive" || scenario == "q-module-call-tokens"
}

// ownConfig names the workspace scenarios whose configuration is their own
// (testdata/scenarios/SCENARIO/config) rather than testdata/terraform.
var ownConfig = map[string]bool{"p-three-envs": true, "r-one-root-cause": true,
	"k-env-name-in-value": true, "l-embedded-identifier": true, "m-reference-sets": true}

// configDir is the configuration a workspace scenario's workspaces share.
func configDir(scenario string) string {
	if ownConfig[scenario] {
		return filepath.Join("testdata", "scenarios", scenario, "config")
	}
	return filepath.Join("testdata", "terraform")
}

// sourceArgs points each scenario at its Terraform sources: the shared
// configuration of the workspaces, or one directory per environment.
func sourceArgs(c scenarioCase) []string {
	if dirPerEnv(c.scenario) {
		dir := filepath.Join("testdata", "scenarios", c.scenario, "envs")
		var args []string
		for _, env := range c.envNames() {
			args = append(args, "--source", env+"="+filepath.Join(dir, env))
		}
		return args
	}
	return []string{"--source", configDir(c.scenario)}
}

// formatRun is one check that writes every format at once.
type formatRun struct {
	code           int
	stdout, stderr string
	files          map[string][]byte // by extension
	summary        []byte            // what the github format appended to GITHUB_STEP_SUMMARY
}

// runFormats runs a scenario's check from the repository root, as CI does,
// so that locations are repository-relative paths, writing every format:
// github to standard output, the others to files.
func runFormats(t *testing.T, c scenarioCase, ext string, sources bool) formatRun {
	t.Helper()
	var r formatRun
	dir := t.TempDir()
	summary := filepath.Join(dir, "summary.md")
	// A subtest so that the working directory is restored before the
	// caller compares golden files (relative to this package).
	t.Run("run", func(t *testing.T) {
		t.Chdir(filepath.Join("..", ".."))
		t.Setenv("GITHUB_STEP_SUMMARY", summary)
		args := scenarioArgsIn(filepath.Join("testdata", "scenarios"), c, ext)
		if sources {
			args = append(args, sourceArgs(c)...)
		}
		args = append(args, "--format", "github")
		for _, f := range formatFiles {
			args = append(args, "--format", f.format+"="+filepath.Join(dir, "out."+f.ext))
		}
		r.code, r.stdout, r.stderr = runCLI(t, args...)
	})
	r.files = map[string][]byte{}
	for _, f := range formatFiles {
		b, err := os.ReadFile(filepath.Join(dir, "out."+f.ext))
		if err != nil {
			t.Fatalf("%s: %v (stderr: %s)", f.format, err, r.stderr)
		}
		r.files[f.ext] = b
	}
	r.summary, _ = os.ReadFile(summary)
	return r
}

// TestFormats pins every format on every scenario's plans, with the
// scenario's Terraform sources so findings carry file:line, and checks each
// format for what its consumer needs.
func TestFormats(t *testing.T) {
	for _, c := range scenarioCases {
		t.Run(c.scenario, func(t *testing.T) {
			r := runFormats(t, c, "plan.json", true)
			if r.stderr != "" {
				t.Errorf("stderr: %s", r.stderr)
			}
			wantCode := 0
			if len(c.want["plan"]) > 0 && !c.warnOnly {
				wantCode = 1
			}
			if r.code != wantCode {
				t.Errorf("exit code %d, want %d", r.code, wantCode)
			}
			golden.Assert(t, filepath.Join(c.scenario, "formats", "plan.github.txt"), []byte(r.stdout))
			for ext, b := range r.files {
				golden.Assert(t, filepath.Join(c.scenario, "formats", "plan."+ext), b)
			}
			// The job summary is the markdown report (small enough here to
			// be the same bytes).
			if !bytes.Equal(r.summary, r.files["md"]) {
				t.Errorf("GITHUB_STEP_SUMMARY differs from --format markdown:\n%s", r.summary)
			}
			for i, line := range strings.Split(string(r.files["txt"]), "\n") {
				if n := len([]rune(line)); n > output.DefaultTextWidth {
					t.Errorf("text line %d is %d columns wide: %q", i+1, n, line)
				}
			}
			if err := sarifschema.Validate(r.files["sarif"]); err != nil {
				t.Error(err)
			}
			checkJUnit(t, r.files["junit.xml"], len(c.want["plan"]))
			checkMarkdown(t, r.files["md"])
			checkLocations(t, c.scenario, r.files["json"])
		})
	}
}

// checkJUnit parses the JUnit XML back and counts its failures.
func checkJUnit(t *testing.T, doc []byte, findings int) {
	t.Helper()
	var suites struct {
		Tests    int `xml:"tests,attr"`
		Failures int `xml:"failures,attr"`
		Skipped  int `xml:"skipped,attr"`
		Suites   []struct {
			Cases []struct {
				Class   string    `xml:"classname,attr"`
				Name    string    `xml:"name,attr"`
				Failure *struct{} `xml:"failure"`
				Skipped *struct{} `xml:"skipped"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal(doc, &suites); err != nil {
		t.Fatalf("JUnit output does not parse: %v", err)
	}
	seen := map[string]bool{}
	failed, skipped := 0, 0
	for _, s := range suites.Suites {
		for _, c := range s.Cases {
			key := c.Class + "\x00" + c.Name
			if seen[key] {
				t.Errorf("JUnit test case %s %q twice: GitLab drops duplicates", c.Class, c.Name)
			}
			seen[key] = true
			if c.Failure != nil {
				failed++
			}
			if c.Skipped != nil {
				skipped++
			}
		}
	}
	if failed+skipped != findings || failed != suites.Failures {
		t.Errorf("JUnit: %d failures and %d skipped test cases (header: %d failures), want %d findings in all", failed, skipped, suites.Failures, findings)
	}
}

// checkMarkdown renders the PR comment as GitHub would (GFM tables) and
// checks that the table and the folded details survive.
func checkMarkdown(t *testing.T, md []byte) {
	t.Helper()
	var html bytes.Buffer
	if err := goldmark.New(goldmark.WithExtensions(extension.GFM)).Convert(md, &html); err != nil {
		t.Fatal(err)
	}
	out := html.String()
	if strings.Contains(string(md), "\n| Rule |") && !strings.Contains(out, "<table>") {
		t.Errorf("the findings table does not render as a table:\n%s", out)
	}
	if strings.Count(string(md), "<details>") != strings.Count(string(md), "</details>") {
		t.Errorf("unbalanced <details> blocks:\n%s", md)
	}
}

// checkLocations checks what the sources give: one location shared by both
// workspaces, or one per environment's directory.
func checkLocations(t *testing.T, scenario string, doc []byte) {
	t.Helper()
	var rep struct {
		Findings []struct {
			Rule, Address string
			Location      *struct{ File string }
			Locations     []struct {
				File         string
				Line         int
				Environments []string
				// Variable marks where a root variable's value is set
				// (issue 17): a var file line, after the code locations.
				Variable string
			}
		}
	}
	if err := json.Unmarshal(doc, &rep); err != nil {
		t.Fatal(err)
	}
	both := 0
	defer func() {
		if dirPerEnv(scenario) && both == 0 {
			t.Error("no finding points at both environments' directories")
		}
	}()
	for _, f := range rep.Findings {
		if f.Address == "" {
			continue
		}
		if len(f.Locations) == 0 || f.Location == nil {
			t.Errorf("%s %s has no location", f.Rule, f.Address)
			continue
		}
		if !dirPerEnv(scenario) {
			if dir := filepath.ToSlash(configDir(scenario)) + "/"; len(f.Locations) != 1 || !strings.HasPrefix(f.Locations[0].File, dir) {
				t.Errorf("%s %s: workspaces share one configuration, want one location in %s, got %+v", f.Rule, f.Address, dir, f.Locations)
			}
			continue
		}
		// A resource in one environment only has a block in that
		// environment's directory only.
		code := 0
		for _, l := range f.Locations {
			if l.Variable == "" {
				code++
			}
		}
		if code == 2 {
			both++
		}
		for _, l := range f.Locations {
			// The shared local module is one file for both.
			if strings.HasPrefix(l.File, "testdata/scenarios/"+scenario+"/modules/") && len(l.Environments) == 2 {
				continue
			}
			if len(l.Environments) != 1 || !strings.HasPrefix(l.File, "testdata/scenarios/"+scenario+"/envs/"+l.Environments[0]+"/") || l.Line < 1 {
				t.Errorf("%s %s: location %+v is not in its environment's directory", f.Rule, f.Address, l)
			}
		}
	}
}
