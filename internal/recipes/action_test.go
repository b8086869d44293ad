package recipes

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// actionFile is the part of action.yml the runner below reads.
type actionFile struct {
	Name   string `yaml:"name"`
	Inputs map[string]struct {
		Required bool    `yaml:"required"`
		Default  *string `yaml:"default"`
	} `yaml:"inputs"`
	Outputs map[string]struct {
		Value string `yaml:"value"`
	} `yaml:"outputs"`
	Runs struct {
		Using string       `yaml:"using"`
		Steps []actionStep `yaml:"steps"`
	} `yaml:"runs"`
}

type actionStep struct {
	ID               string            `yaml:"id"`
	Name             string            `yaml:"name"`
	If               string            `yaml:"if"`
	Uses             string            `yaml:"uses"`
	With             map[string]string `yaml:"with"`
	Run              string            `yaml:"run"`
	Shell            string            `yaml:"shell"`
	Env              map[string]string `yaml:"env"`
	WorkingDirectory string            `yaml:"working-directory"`
}

// The actions action.yml calls, which only run on GitHub. The runner checks
// that these and no others are used, and stands in for them.
const (
	usesRestore = "actions/cache/restore@v4"
	usesSetupGo = "actions/setup-go@v5"
	usesSave    = "actions/cache/save@v4"
	usesUpload  = "github/codeql-action/upload-sarif@v3"
)

func loadAction(t *testing.T) actionFile {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(repoRoot, "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var a actionFile
	if err := yaml.Unmarshal(b, &a); err != nil {
		t.Fatalf("action.yml: %v", err)
	}
	return a
}

// TestActionShape checks what GitHub would reject or what would make the
// action unsafe, without running it: a composite action, every input and
// output the documentation promises, bash for every run step, and no
// expression inside a run script (inputs reach scripts through env only).
func TestActionShape(t *testing.T) {
	a := loadAction(t)
	if a.Runs.Using != "composite" {
		t.Fatalf("runs.using %q, want composite", a.Runs.Using)
	}
	defaults := map[string]string{
		"environments": "", "sources": "", "config": "", "policy": "", "target": "",
		"fail-on": "error", "sarif": "true", "sarif-file": "lockstep.sarif", "summary": "true",
		"working-directory": ".", "args": "",
	}
	for name, want := range defaults {
		in, ok := a.Inputs[name]
		switch {
		case !ok:
			t.Errorf("input %s missing", name)
		case name == "environments":
			if !in.Required {
				t.Errorf("input environments must be required")
			}
		case in.Default == nil || *in.Default != want:
			t.Errorf("input %s: default %v, want %q", name, in.Default, want)
		}
	}
	if len(a.Inputs) != len(defaults) {
		t.Errorf("action.yml has %d inputs, want %d: update this test and docs/github-actions.md together", len(a.Inputs), len(defaults))
	}
	for _, name := range []string{"exit-code", "sarif-file"} {
		if _, ok := a.Outputs[name]; !ok {
			t.Errorf("output %s missing", name)
		}
	}
	uses := map[string]bool{}
	for i, s := range a.Runs.Steps {
		switch {
		case s.Run != "":
			if s.Shell != "bash" {
				t.Errorf("step %d (%s): shell %q, want bash (composite run steps must name one)", i, s.Name, s.Shell)
			}
			if strings.Contains(s.Run, "${{") {
				t.Errorf("step %d (%s): an expression inside run: is pasted into the script before bash parses it; pass it through env:", i, s.Name)
			}
		case s.Uses != "":
			uses[s.Uses] = true
		default:
			t.Errorf("step %d (%s): neither run nor uses", i, s.Name)
		}
	}
	for _, u := range []string{usesRestore, usesSetupGo, usesSave, usesUpload} {
		if !uses[u] {
			t.Errorf("action.yml does not use %s", u)
		}
		delete(uses, u)
	}
	for u := range uses {
		t.Errorf("action.yml uses %s, which the runner in this test does not stand in for", u)
	}
}

// newActionRun prepares a workspace with a scenario's plans in infra/ (the
// working directory the runs use, so relative paths are exercised).
func newActionRun(t *testing.T, scenario string, inputs map[string]string, cacheHit bool) *actionRun {
	t.Helper()
	ws := t.TempDir()
	for _, e := range []string{"staging", "production"} {
		b, err := os.ReadFile(filepath.Join(repoRoot, "testdata", "scenarios", scenario, e+".plan.json"))
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(ws, "infra"), e+".plan.json", string(b))
	}
	return &actionRun{t: t, action: loadAction(t), inputs: inputs, workspace: ws, temp: t.TempDir(), cacheHit: cacheHit}
}

// TestActionFindings runs the action on scenario b (a pull request that
// changes staging only): lockstep exits 1, which the check step records
// instead of failing, so the SARIF upload still runs; the last step then
// fails the action with that code. No cached binary: lockstep is built
// from the action's checkout.
func TestActionFindings(t *testing.T) {
	if testing.Short() {
		t.Skip("builds lockstep; skipped with -short")
	}
	r := newActionRun(t, "b-pr-changes-staging-only", map[string]string{
		"environments":      "# promotion order\nstaging=staging.plan.json\n\n  production=production.plan.json  \n",
		"working-directory": "infra",
	}, false)
	r.run()
	t.Logf("check step:\n%s", r.logs["check"])
	for _, step := range []string{"go", "key", "restore", "build", usesSave, "check", usesUpload, "lockstep - result"} {
		if !r.ran[step] {
			t.Errorf("step %s did not run", step)
		}
	}
	if r.ran[usesSetupGo] {
		t.Errorf("actions/setup-go ran although the Go in PATH is new enough")
	}
	if r.codes["check"] != 0 {
		t.Fatalf("the check step failed (exit %d) instead of recording lockstep's exit code:\n%s", r.codes["check"], r.logs["check"])
	}
	check := r.outputs["check"]
	if check["exit-code"] != "1" {
		t.Fatalf("exit-code output %q, want 1:\n%s", check["exit-code"], r.logs["check"])
	}
	if want := filepath.Join(r.workspace, "infra", "lockstep.sarif"); check["sarif-file"] != want {
		t.Errorf("sarif-file output %q, want %q", check["sarif-file"], want)
	}
	// The action's own outputs, as the caller sees them.
	if got := r.interpolate(r.action.Outputs["exit-code"].Value); got != "1" {
		t.Errorf("action output exit-code %q, want 1", got)
	}
	if got := r.interpolate(r.action.Outputs["sarif-file"].Value); got != check["sarif-file"] {
		t.Errorf("action output sarif-file %q, want %q", got, check["sarif-file"])
	}
	if strings.Join(r.analyses, " ") != "lockstep/infra/staging-production/" {
		t.Errorf("uploaded to analyses %q, want lockstep/infra/staging-production/", r.analyses)
	}
	if !strings.Contains(r.logs["check"], "::error") {
		t.Errorf("no ::error annotation in the check step's output:\n%s", r.logs["check"])
	}
	if !strings.Contains(r.summary, "one-sided-change") {
		t.Errorf("job summary does not mention one-sided-change:\n%s", r.summary)
	}
	if r.codes["lockstep - result"] != 1 {
		t.Errorf("the last step exited %d, want 1 (lockstep's code):\n%s", r.codes["lockstep - result"], r.logs["lockstep - result"])
	}
}

// TestActionClean runs the action on scenario c-promotion-after with target
// production: staging has applied what production's plan does, so the check
// passes and the last step does not run. The binary comes from the cache
// (no build), summary is off, and args are split with their quotes.
func TestActionClean(t *testing.T) {
	r := newActionRun(t, "c-promotion-after", map[string]string{
		"environments":      "staging=staging.plan.json\nproduction=production.plan.json",
		"target":            "production",
		"summary":           "false",
		"sarif-file":        "out/lockstep results.sarif",
		"args":              `--as-of "2027-01-01"`,
		"working-directory": "infra",
	}, true)
	r.run()
	for _, step := range []string{"build", usesSave, usesSetupGo, "lockstep - result"} {
		if r.ran[step] {
			t.Errorf("step %s ran; with a cached binary and no findings it must not", step)
		}
	}
	check := r.outputs["check"]
	if r.codes["check"] != 0 || check["exit-code"] != "0" {
		t.Fatalf("check step exit %d, exit-code %q; want 0 and 0:\n%s", r.codes["check"], check["exit-code"], r.logs["check"])
	}
	if !strings.Contains(r.logs["check"], "--as-of 2027-01-01") {
		t.Errorf("args not passed as two words:\n%s", r.logs["check"])
	}
	if strings.Join(r.analyses, " ") != "lockstep/infra/production/" {
		t.Errorf("uploaded to analyses %q, want lockstep/infra/production/", r.analyses)
	}
	if !r.ran[usesUpload] || check["sarif-file"] != filepath.Join(r.workspace, "infra", "out", "lockstep results.sarif") {
		t.Errorf("SARIF upload ran: %v, sarif-file %q", r.ran[usesUpload], check["sarif-file"])
	}
	if r.summary != "" {
		t.Errorf("summary is false, yet the job summary got:\n%s", r.summary)
	}
}

// TestActionBadInput gives an environment line without '=': the check step
// fails with exit 2 and an annotation (with the line escaped as workflow
// command data), nothing is uploaded, and the action fails with 2.
func TestActionBadInput(t *testing.T) {
	r := newActionRun(t, "c-promotion-after", map[string]string{
		"environments": "staging=staging.plan.json\n100%production",
	}, true)
	r.run()
	if r.codes["check"] != 2 || !strings.Contains(r.logs["check"], `::error title=lockstep action::environments: "100%25production" is not NAME=PATH`) {
		t.Fatalf("check step: exit %d, want 2 with an annotation naming the bad line:\n%s", r.codes["check"], r.logs["check"])
	}
	if r.ran[usesUpload] {
		t.Errorf("SARIF uploaded although no report was written")
	}
	if r.codes["lockstep - result"] != 2 {
		t.Errorf("last step exit %d, want 2", r.codes["lockstep - result"])
	}
}

// TestActionSources runs the action on scenario i (a directory per
// environment) with sources, from a working directory: the annotations and
// the SARIF log must name the .tf files relative to the repository root,
// which is what GitHub resolves them against, and args (here the Markdown
// report the PR comment step of docs/github-actions.md posts) must reach
// lockstep.
func TestActionSources(t *testing.T) {
	ws := t.TempDir()
	copyTree(t, filepath.Join(repoRoot, "testdata", "scenarios", "i-dir-per-env"), filepath.Join(ws, "infra"), nil)
	r := &actionRun{t: t, action: loadAction(t), workspace: ws, temp: t.TempDir(), cacheHit: true, inputs: map[string]string{
		"working-directory": "infra",
		"environments":      "staging=staging.plan.json\nproduction=production.plan.json",
		"sources":           "staging=envs/staging\nproduction=./envs/production/",
		"args":              "--format markdown=infra/lockstep.md",
	}}
	r.run()
	log := r.logs["check"]
	if r.outputs["check"]["exit-code"] != "1" {
		t.Fatalf("exit-code %q, want 1:\n%s", r.outputs["check"]["exit-code"], log)
	}
	for _, want := range []string{"::error file=infra/envs/staging/main.tf,line=", "::error file=infra/envs/production/main.tf,line=", "::error file=infra/modules/service/main.tf,line="} {
		if !strings.Contains(log, want) {
			t.Errorf("no annotation starting %q:\n%s", want, log)
		}
	}
	b, err := os.ReadFile(r.outputs["check"]["sarif-file"])
	if err != nil {
		t.Fatal(err)
	}
	var sarif struct {
		Runs []struct {
			Results []struct {
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct {
							URI string `json:"uri"`
						} `json:"artifactLocation"`
					} `json:"physicalLocation"`
				} `json:"locations"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(b, &sarif); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, run := range sarif.Runs {
		for _, res := range run.Results {
			for _, l := range res.Locations {
				n++
				if uri := l.PhysicalLocation.ArtifactLocation.URI; !strings.HasPrefix(uri, "infra/") {
					t.Errorf("SARIF location %q is not relative to the repository root", uri)
				}
			}
		}
	}
	if n == 0 {
		t.Errorf("SARIF log has no locations:\n%s", b)
	}
	md, err := os.ReadFile(filepath.Join(ws, "infra", "lockstep.md"))
	if err != nil || !strings.Contains(string(md), "one-sided-change") {
		t.Errorf("args --format markdown=infra/lockstep.md: %v\n%s", err, md)
	}
}
