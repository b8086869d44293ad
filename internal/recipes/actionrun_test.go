package recipes

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lockstep-iac/lockstep/internal/sarifschema"
)

// actionRun is one simulated run of the action: its inputs, what the steps
// wrote, and which steps ran.
type actionRun struct {
	t         *testing.T
	action    actionFile
	inputs    map[string]string
	workspace string // GITHUB_WORKSPACE
	temp      string // RUNNER_TEMP
	cacheHit  bool   // what actions/cache/restore reports
	outputs   map[string]map[string]string
	ran       map[string]bool // by step id, or by uses for steps without one
	failed    bool            // a step failed: success() is false from then on
	codes     map[string]int  // exit code of each run step that ran
	logs      map[string]string
	summary   string   // everything the steps appended to GITHUB_STEP_SUMMARY
	analyses  []string // the code scanning analysis (category) of each uploaded run
}

func (r *actionRun) stepKey(s actionStep) string {
	if s.ID != "" {
		return s.ID
	}
	if s.Uses != "" {
		return s.Uses
	}
	return s.Name
}

// run executes the action's steps in order, as the runner does for a
// composite action: `if:` decides, run steps go to bash with the step's env,
// and uses steps are stood in for.
func (r *actionRun) run() {
	t := r.t
	t.Helper()
	r.outputs = map[string]map[string]string{}
	r.ran = map[string]bool{}
	r.codes = map[string]int{}
	r.logs = map[string]string{}
	for name, in := range r.action.Inputs {
		if _, ok := r.inputs[name]; !ok && in.Default != nil {
			r.inputs[name] = *in.Default
		}
	}
	for i, s := range r.action.Runs.Steps {
		key := r.stepKey(s)
		cond := s.If
		if cond == "" {
			cond = "success()"
		}
		if !truthy(r.eval(strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(cond), "${{"), "}}"))) {
			continue
		}
		r.ran[key] = true
		out := map[string]string{}
		if s.ID != "" {
			r.outputs[s.ID] = out
		}
		if s.Uses != "" {
			r.standIn(s, out)
			continue
		}
		dir := r.workspace
		if s.WorkingDirectory != "" {
			dir = filepath.Join(r.workspace, r.interpolate(s.WorkingDirectory))
		}
		files := map[string]string{}
		for _, f := range []string{"GITHUB_OUTPUT", "GITHUB_STEP_SUMMARY", "GITHUB_ENV", "GITHUB_PATH"} {
			files[f] = filepath.Join(r.temp, fmt.Sprintf("step%d-%s", i, strings.ToLower(f)))
			writeFile(t, filepath.Dir(files[f]), filepath.Base(files[f]), "")
		}
		script := filepath.Join(r.temp, fmt.Sprintf("step%d.sh", i))
		writeFile(t, r.temp, filepath.Base(script), s.Run)
		env := commandEnv("",
			"GITHUB_ACTIONS=true", "RUNNER_OS=Linux", "RUNNER_TEMP="+r.temp,
			"GITHUB_WORKSPACE="+r.workspace, "GITHUB_ACTION_PATH="+repoRoot,
			"GITHUB_OUTPUT="+files["GITHUB_OUTPUT"], "GITHUB_STEP_SUMMARY="+files["GITHUB_STEP_SUMMARY"],
			"GITHUB_ENV="+files["GITHUB_ENV"], "GITHUB_PATH="+files["GITHUB_PATH"])
		// The action must not rely on the test's own lockstep.
		for j, kv := range env {
			if strings.HasPrefix(kv, "PATH=") {
				env[j] = "PATH=" + os.Getenv("PATH")
			}
		}
		for k, v := range s.Env {
			env = append(env, k+"="+r.interpolate(v))
		}
		// What the runner runs for shell: bash.
		res := execIn(t, dir, env, "bash", "--noprofile", "--norc", "-eo", "pipefail", script)
		r.codes[key] = res.code
		r.logs[key] = res.out
		if res.code != 0 {
			r.failed = true
		}
		for k, v := range readOutputs(t, files["GITHUB_OUTPUT"]) {
			out[k] = v
		}
		b, err := os.ReadFile(files["GITHUB_STEP_SUMMARY"])
		if err != nil {
			t.Fatal(err)
		}
		r.summary += string(b)
	}
}

// standIn does what the called action would do, as far as the rest of the
// action can tell, and checks what it is given.
func (r *actionRun) standIn(s actionStep, out map[string]string) {
	t := r.t
	t.Helper()
	with := map[string]string{}
	for k, v := range s.With {
		with[k] = r.interpolate(v)
	}
	switch s.Uses {
	case usesRestore:
		if with["path"] == "" || with["key"] == "" || strings.HasSuffix(with["key"], "-") {
			t.Fatalf("%s: path %q, key %q: both must be set", s.Uses, with["path"], with["key"])
		}
		if r.cacheHit {
			// A binary built earlier with the same key.
			b, err := os.ReadFile(filepath.Join(binDir, "lockstep"))
			if err != nil {
				t.Fatal(err)
			}
			if err := os.MkdirAll(with["path"], 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(with["path"], "lockstep"), b, 0o755); err != nil {
				t.Fatal(err)
			}
			out["cache-hit"] = "true"
		} else {
			out["cache-hit"] = "false"
		}
	case usesSave:
		if _, err := os.Stat(filepath.Join(with["path"], "lockstep")); err != nil {
			t.Fatalf("%s: nothing to save at %s: %v", s.Uses, with["path"], err)
		}
	case usesSetupGo:
		if with["go-version-file"] != filepath.Join(repoRoot, "go.mod") {
			t.Fatalf("%s: go-version-file %q, want the action's go.mod", s.Uses, with["go-version-file"])
		}
	case usesUpload:
		b, err := os.ReadFile(with["sarif_file"])
		if err != nil {
			t.Fatalf("%s: sarif_file: %v", s.Uses, err)
		}
		var doc struct {
			Version string `json:"version"`
			Runs    []struct {
				AutomationDetails *struct {
					ID string `json:"id"`
				} `json:"automationDetails"`
			} `json:"runs"`
		}
		if err := json.Unmarshal(b, &doc); err != nil || doc.Version != "2.1.0" || len(doc.Runs) == 0 {
			t.Fatalf("%s: %s is not SARIF 2.1.0 with a run (%v)", s.Uses, with["sarif_file"], err)
		}
		// The check step rewrites the log; it must still be what code
		// scanning accepts.
		if err := sarifschema.Validate(b); err != nil {
			t.Fatalf("%s: %s: %v", s.Uses, with["sarif_file"], err)
		}
		// upload-sarif applies its category input only to runs without
		// automationDetails; record the analysis each run lands in.
		var ids []string
		for _, run := range doc.Runs {
			id := strings.TrimSuffix(with["category"], "/") + "/"
			if run.AutomationDetails != nil {
				id = run.AutomationDetails.ID
			}
			ids = append(ids, id)
		}
		r.analyses = append(r.analyses, ids...)
	default:
		t.Fatalf("no stand-in for %s", s.Uses)
	}
}

// readOutputs parses a GITHUB_OUTPUT file: NAME=VALUE lines and
// NAME<<DELIMITER blocks.
func readOutputs(t *testing.T, path string) map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if name, delim, ok := strings.Cut(line, "<<"); ok && !strings.Contains(name, "=") {
			var val []string
			for sc.Scan() && sc.Text() != delim {
				val = append(val, sc.Text())
			}
			out[name] = strings.Join(val, "\n")
			continue
		}
		if name, val, ok := strings.Cut(line, "="); ok {
			out[name] = val
		} else if line != "" {
			t.Fatalf("GITHUB_OUTPUT: malformed line %q", line)
		}
	}
	return out
}
