package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/lockstep-iac/lockstep/report"
)

// conftestDir holds conftest's own example policies and plan, vendored
// unchanged with their licence (see its README.md), and the verdicts a
// real conftest gave on them.
var conftestDir = filepath.Join("..", "..", "testdata", "conftest-examples")

// conftestVerdict is one `conftest test` run over one file.
type conftestVerdict struct {
	Args       []string `json:"args"`
	File       string   `json:"file"`
	Exit       int      `json:"exit"`
	Failures   int      `json:"failures"`
	Warnings   int      `json:"warnings"`
	Exceptions int      `json:"exceptions"`
	Messages   []string `json:"messages"`
}

// recordedVerdicts are verdicts.json's: conftest's, with its version.
func recordedVerdicts(t *testing.T) (string, []conftestVerdict) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(conftestDir, "verdicts.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		RecordedWith string            `json:"recorded_with"`
		Runs         []conftestVerdict `json:"runs"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	return doc.RecordedWith, doc.Runs
}

// liveVerdict runs conftest itself, when it is on PATH.
func liveVerdict(t *testing.T, conftest string, v conftestVerdict) conftestVerdict {
	t.Helper()
	cmd := exec.Command(conftest, append(append([]string{"test"}, v.Args...), "-o", "json", v.File)...)
	cmd.Dir = conftestDir
	out, err := cmd.Output()
	got := conftestVerdict{Args: v.Args, File: v.File}
	if ee, ok := err.(*exec.ExitError); ok {
		got.Exit = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	var results []struct {
		Failures, Warnings, Exceptions []struct {
			Msg string `json:"msg"`
		}
	}
	if err := json.Unmarshal(out, &results); err != nil {
		t.Fatalf("conftest output: %v\n%s", err, out)
	}
	got.Messages = []string{}
	for _, r := range results {
		got.Failures += len(r.Failures)
		got.Warnings += len(r.Warnings)
		got.Exceptions += len(r.Exceptions)
		for _, m := range append(r.Failures, r.Warnings...) {
			got.Messages = append(got.Messages, m.Msg)
		}
	}
	slices.Sort(got.Messages)
	return got
}

// lockstepArgs are conftest's flags in lockstep's words: a policy or data
// directory is an --env-policy directory; --namespace and
// --all-namespaces are the same.
func lockstepArgs(conftest []string) []string {
	var out []string
	for i := 0; i < len(conftest); i++ {
		switch a := conftest[i]; a {
		case "-p", "--policy", "--data":
			i++
			out = append(out, "--env-policy", filepath.Join(conftestDir, conftest[i]))
		default:
			out = append(out, a)
		}
	}
	return out
}

// TestConftestVerdicts: on conftest's own example policies, lockstep
// gives per environment the verdict conftest gives on that environment's
// plan file: the same failures, warnings, exceptions and messages. Each
// run checks two environments with different verdicts, so a finding
// attributed to the wrong one fails.
func TestConftestVerdicts(t *testing.T) {
	version, recorded := recordedVerdicts(t)
	conftest, _ := exec.LookPath("conftest")
	if conftest == "" {
		t.Logf("conftest is not on PATH: comparing with the verdicts recorded from %s", version)
	}
	byArgs := map[string][]conftestVerdict{}
	var order []string
	for _, v := range recorded {
		k := strings.Join(v.Args, " ")
		if byArgs[k] == nil {
			order = append(order, k)
		}
		if conftest != "" {
			v = liveVerdict(t, conftest, v)
		}
		byArgs[k] = append(byArgs[k], v)
	}
	for _, k := range order {
		verdicts := byArgs[k]
		t.Run(k, func(t *testing.T) {
			envs := []string{"staging", "production"}
			args := append([]string{"check", "--format", "json", "--fail-on", "never"}, lockstepArgs(verdicts[0].Args)...)
			for i, v := range verdicts {
				args = append(args, "--env", envs[i]+"="+filepath.Join(conftestDir, v.File))
			}
			code, stdout, stderr := runCLI(t, args...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			var rep report.Report
			if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
				t.Fatal(err)
			}
			scoped := map[string]bool{}
			for _, r := range rep.Rules {
				scoped[r.ID] = r.Scope == report.ScopeEnvironment
			}
			for i, want := range verdicts {
				got := conftestVerdict{Args: want.Args, File: want.File, Messages: []string{}}
				for _, f := range rep.Findings {
					if !scoped[f.Rule] || !slices.Equal(f.Environments, []string{envs[i]}) {
						continue
					}
					switch {
					case f.Waived:
						got.Exceptions++
					case f.Severity == report.SeverityError:
						got.Failures++
					default:
						got.Warnings++
					}
					if !f.Waived {
						got.Messages = append(got.Messages, f.Message)
					}
				}
				slices.Sort(got.Messages)
				if got.Failures > 0 {
					got.Exit = 1
				}
				if w, g := jsonText(want), jsonText(got); w != g {
					t.Errorf("%s (%s): lockstep\n%s\nconftest\n%s", envs[i], want.File, g, w)
				}
			}
		})
	}
}

func jsonText(v conftestVerdict) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
	return b.String()
}

// TestConftestVerify: conftest's own tests of its example policies pass
// unchanged under `lockstep test --env-policy`, as under conftest verify.
func TestConftestVerify(t *testing.T) {
	code, stdout, stderr := runCLI(t, "test",
		"--env-policy", filepath.Join(conftestDir, "examples", "data", "policy"),
		"--env-policy", filepath.Join(conftestDir, "examples", "data", "exclusions"))
	if code != 0 || !strings.Contains(stdout, "PASS   main.test_service_denied") || !strings.Contains(stdout, "1 passed, 0 failed") {
		t.Errorf("exit %d\n%s%s", code, stdout, stderr)
	}
}
