package recipes

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// reportWorkflow is the part of docs/report.md's scheduled workflow that
// the runner below reads.
type reportWorkflow struct {
	On   map[string]any `yaml:"on"`
	Jobs map[string]struct {
		Needs    string `yaml:"needs"`
		If       string `yaml:"if"`
		Strategy struct {
			Matrix map[string][]string `yaml:"matrix"`
		} `yaml:"strategy"`
		Steps []actionStep `yaml:"steps"`
	} `yaml:"jobs"`
}

// The actions the workflow calls, which only run on GitHub; the runner
// stands in for them.
const (
	usesCheckout       = "actions/checkout@v4"
	usesUploadArtifact = "actions/upload-artifact@v4"
	usesDownload       = "actions/download-artifact@v4"
)

var installLockstep = regexp.MustCompile(`^go install github\.com/lockstep-iac/lockstep/cmd/lockstep@\S+\n?$`)

// TestReportWorkflow runs docs/report.md's scheduled workflow as written:
// the four shard jobs on the fleet fixture (its exports and lockstep.hcl
// stand for the checkout), the artifacts passed between jobs as GitHub
// does, then the merge job. The merged report is the one a single run
// writes, its .sha256 checks, and the uploads happen although the fixture's
// broken stack fails the run.
func TestReportWorkflow(t *testing.T) {
	var wf reportWorkflow
	if err := yaml.Unmarshal([]byte(recipe(t, "report.md", "report-workflow")), &wf); err != nil {
		t.Fatal(err)
	}
	if _, ok := wf.On["schedule"]; !ok {
		t.Error("the workflow is not scheduled")
	}
	shard, merge := wf.Jobs["shard"], wf.Jobs["merge"]
	if len(wf.Jobs) != 2 || merge.Needs != "shard" || merge.If != "always()" || len(shard.Strategy.Matrix["shard"]) != 4 {
		t.Fatalf("want jobs shard (a matrix of 4) and merge (needs shard, if always()): %+v", wf.Jobs)
	}
	artifacts := t.TempDir()
	fixture := filepath.Join(repoRoot, "testdata", "fleet")
	env := commandEnv("", "GITHUB_SHA=0123456789abcdef0123456789abcdef01234567")
	for _, k := range shard.Strategy.Matrix["shard"] {
		codes := runJob(t, shard.Steps, map[string]string{"matrix.shard": k}, artifacts, fixture, env)
		if c := codes["Audit shard "+k+" of 4"]; c != 0 && c != 1 && c != 2 {
			t.Errorf("shard %s: exit %d", k, c)
		}
	}
	codes := runJob(t, merge.Steps, nil, artifacts, fixture, env)
	if c := codes["Merge the shards"]; c != 2 {
		t.Errorf("merge: exit %d, want 2 for the fixture's unreadable stack", c)
	}
	out := filepath.Join(artifacts, "lockstep-report")
	if r := execIn(t, out, env, "sha256sum", "-c", "report.json.sha256"); r.code != 0 {
		t.Errorf("sha256sum -c report.json.sha256: %s", r.out)
	}
	// A single run over the whole fleet, in a checkout of its own.
	single := t.TempDir()
	copyTree(t, fixture, single, nil)
	execIn(t, single, env, filepath.Join(binDir, "lockstep"), "report", "--inputs", "exports/{stack}/{env}.json", "--inputs", "exports/{stack}/{env}.tfstate",
		"--format", "json=whole.json", "--format", "html=whole.html")
	for _, f := range []string{"json", "html"} {
		want, _ := os.ReadFile(filepath.Join(single, "whole."+f))
		got, err := os.ReadFile(filepath.Join(out, "report."+f))
		if err != nil || len(want) == 0 || !bytes.Equal(got, want) {
			t.Errorf("the workflow's report.%s differs from a single run's (%v)", f, err)
		}
	}
}

// runJob runs one job's steps in a fresh workspace, as the runner would:
// bash -eo pipefail for run steps, a failed step skipping the rest but
// those with if: always(), and stand-ins for the actions. It returns each
// run step's exit code by name.
func runJob(t *testing.T, steps []actionStep, vars map[string]string, artifacts, checkout string, env []string) map[string]int {
	t.Helper()
	ws := t.TempDir()
	summary := filepath.Join(t.TempDir(), "summary.md")
	env = append(env, "GITHUB_STEP_SUMMARY="+summary, "GITHUB_WORKSPACE="+ws)
	interpolate := func(s string) string {
		return regexp.MustCompile(`\$\{\{\s*([a-z.]+)\s*\}\}`).ReplaceAllStringFunc(s, func(m string) string {
			key := strings.Trim(m, "${} ")
			v, ok := vars[key]
			if !ok {
				t.Errorf("the workflow uses ${{ %s }}, which the runner does not know", key)
			}
			return v
		})
	}
	codes := map[string]int{}
	failed := false
	for _, s := range steps {
		if failed && s.If != "always()" {
			continue
		}
		if s.If != "" && s.If != "always()" {
			t.Fatalf("step %q: the runner only knows if: always(), not %q", s.Name, s.If)
		}
		name := interpolate(s.Name)
		switch {
		case s.Uses == usesCheckout:
			copyTree(t, checkout, ws, nil)
		case s.Uses == usesSetupGo:
		case s.Uses == usesUploadArtifact:
			dst := filepath.Join(artifacts, interpolate(s.With["name"]))
			for _, p := range strings.Fields(interpolate(s.With["path"])) {
				b, err := os.ReadFile(filepath.Join(ws, p))
				if err != nil {
					t.Errorf("upload %s: %v", p, err)
					continue
				}
				writeFile(t, dst, p, string(b))
			}
		case s.Uses == usesDownload:
			dirs, _ := filepath.Glob(filepath.Join(artifacts, s.With["pattern"]))
			if len(dirs) == 0 || s.With["merge-multiple"] != "true" {
				t.Fatalf("download %q: %d artifacts, merge-multiple %q", s.With["pattern"], len(dirs), s.With["merge-multiple"])
			}
			for _, d := range dirs {
				copyTree(t, d, ws, nil)
			}
		case s.Uses != "":
			t.Fatalf("step %q uses %s, which the runner does not stand in for", name, s.Uses)
		case name == "Install lockstep":
			// lockstep built from this checkout is on PATH already.
			if !installLockstep.MatchString(s.Run) {
				t.Errorf("Install lockstep runs %q", s.Run)
			}
		default:
			r := execIn(t, ws, env, "bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", interpolate(s.Run))
			codes[name] = r.code
			if r.code != 0 {
				t.Logf("step %q: exit %d\n%s", name, r.code, r.out)
				failed = true
			}
		}
	}
	if b, err := os.ReadFile(summary); err == nil && len(b) > 0 && !bytes.Contains(b, []byte("# lockstep report")) {
		t.Errorf("the job summary is not the report: %.200s", b)
	}
	return codes
}
