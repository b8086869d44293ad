package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lockstep-iac/lockstep/internal/golden"
)

// tofuScenarios is where testdata/generate.sh writes the OpenTofu variants
// of the core scenarios, made with a real tofu (v1.10.10).
var tofuScenarios = filepath.Join(scenarios, "opentofu")

// tofuDiffers names the scenarios whose OpenTofu variant is judged
// otherwise than the Terraform one, with the reason the tools really differ
// there. Empty: on these scenarios they write the same plans and states.
var tofuDiffers = map[string]string{}

// judgement is what a report decides, without what differs from one
// generated fixture to the next (ids, digests, the tool's version).
type judgement struct {
	Rule         string   `json:"rule"`
	Severity     string   `json:"severity"`
	Address      string   `json:"address"`
	Environments []string `json:"environments"`
	Waived       bool     `json:"waived"`
}

func judge(t *testing.T, out string) []judgement {
	t.Helper()
	var rep struct{ Findings []judgement }
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out)
	}
	return rep.Findings
}

// TestOpenTofuScenarios runs every scenario made by tofu, in each input
// kind, and requires the judgement of its Terraform twin: the same
// findings, severities, environments and waivers, and the same exit code.
// The golden files hold the OpenTofu reports in full. No secret of the
// scenarios may reach the output.
func TestOpenTofuScenarios(t *testing.T) {
	secrets := strings.Fields(string(readFile(t, filepath.Join(scenarios, "secrets.txt"))))
	ran := 0
	for _, c := range scenarioCases {
		if _, err := os.Stat(filepath.Join(tofuScenarios, c.scenario)); err != nil {
			continue // not a core scenario (see TOFU_SCENARIOS in generate.sh)
		}
		ran++
		for _, k := range kinds {
			t.Run(c.scenario+"/"+k.name, func(t *testing.T) {
				if v := readFile(t, filepath.Join(tofuScenarios, c.scenario, "staging."+k.ext)); !bytes.Contains(v, []byte(`"terraform_version":"1.10.10"`)) {
					t.Fatal("not written by tofu 1.10.10")
				}
				tfCode, tfOut, _ := runCLI(t, append(scenarioArgs(c, k.ext), "--format", "json")...)
				code, out, errOut := runCLI(t, append(scenarioArgsIn(tofuScenarios, c, k.ext), "--format", "json")...)
				if errOut != "" {
					t.Errorf("stderr: %s", errOut)
				}
				got, want := judge(t, out), judge(t, tfOut)
				a, _ := json.Marshal(got)
				b, _ := json.Marshal(want)
				if reason, ok := tofuDiffers[c.scenario]; ok {
					if string(a) == string(b) {
						t.Errorf("OpenTofu and Terraform agree, but tofuDiffers says they differ: %s", reason)
					}
				} else if string(a) != string(b) || code != tfCode {
					t.Errorf("OpenTofu judged otherwise than Terraform (exit %d, %d):\n%s\n%s", code, tfCode, a, b)
				}
				for _, s := range secrets {
					if strings.Contains(out, s) {
						t.Errorf("prints secret %q", s)
					}
				}
				golden.Assert(t, filepath.Join("opentofu", c.scenario, k.name+".json"), []byte(out))
			})
		}
	}
	if ran < 8 {
		t.Fatalf("%d OpenTofu scenarios found in %s, want 8: run testdata/generate.sh", ran, tofuScenarios)
	}
}

// TestOpenTofuEncrypted: a state or plan file encrypted by tofu (pbkdf2
// key provider, aes_gcm) is refused with exit 2, an error naming the file,
// saying what it is and how to read it, and nothing on stdout; the same
// state pulled (decrypted) through tofu is read.
func TestOpenTofuEncrypted(t *testing.T) {
	dir := filepath.Join(tofuScenarios, "encrypted-state")
	pulled := filepath.Join(dir, "staging.pulled.tfstate")
	for _, tc := range []struct {
		name, file string
		want       []string
	}{
		{"state", "staging.tfstate", []string{"this is an encrypted OpenTofu state", "--env NAME=DIR", "`tofu state pull`"}},
		{"plan", "staging.tfplan", []string{"this is an encrypted OpenTofu plan file", "`tofu show -json`", "--plan"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			file := filepath.Join(dir, tc.file)
			if !bytes.Contains(readFile(t, file), []byte(`"encrypted_data"`)) {
				t.Fatalf("%s is not encrypted", file)
			}
			code, out, errOut := runCLI(t, "check", "--env", "staging="+file, "--env", "production="+pulled)
			if code != 2 || out != "" {
				t.Errorf("exit %d, stdout %q; want 2 and nothing", code, out)
			}
			for _, w := range append([]string{file + ": "}, tc.want...) {
				if !strings.Contains(errOut, w) {
					t.Errorf("stderr lacks %q:\n%s", w, errOut)
				}
			}
		})
	}
	code, out, errOut := runCLI(t, "check", "--format", "json", "--allow-identical-inputs", "--env", "blue="+pulled, "--env", "green="+pulled)
	if code != 0 || errOut != "" || len(judge(t, out)) != 0 {
		t.Errorf("the pulled state: exit %d, stderr %q, output %s", code, errOut, out)
	}
}

// TestOpenTofuToolMix: lock files written by terraform (registry.terraform.io)
// and by tofu (registry.opentofu.org) tell the tools apart. A chain that
// mixes them is one version-skew warning naming both; the provider, the
// same hashicorp/null 3.2.4 from either registry, is not reported. Two
// OpenTofu lock files say nothing.
func TestOpenTofuToolMix(t *testing.T) {
	dir, err := filepath.Abs(filepath.Join(tofuScenarios, "tool-mix"))
	if err != nil {
		t.Fatal(err)
	}
	state := filepath.Join(tofuScenarios, "encrypted-state", "staging.pulled.tfstate")
	for _, tc := range []struct {
		name    string
		staging string
		want    string
		tools   string // the report's environments[].tool
	}{
		{"mixed", "staging.terraform.lock.hcl", "tool (Terraform or OpenTofu) differs: blue Terraform, green OpenTofu", "blue terraform, green opentofu"},
		{"opentofu only", "production.terraform.lock.hcl", "", "blue opentofu, green opentofu"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := filepath.Join(t.TempDir(), "lockstep.hcl")
			// Not staging and production: the state's values name staging,
			// which production must not (cross-env-reference).
			hcl := `environment "blue" { lockfile = "` + filepath.Join(dir, tc.staging) + `" }
environment "green" { lockfile = "` + filepath.Join(dir, "production.terraform.lock.hcl") + `" }
promotion = ["blue", "green"]
`
			if err := os.WriteFile(cfg, []byte(hcl), 0o644); err != nil {
				t.Fatal(err)
			}
			code, out, errOut := runCLI(t, "check", "--format", "json", "--allow-identical-inputs", "--config", cfg, "--env", "blue="+state, "--env", "green="+state)
			if code != 0 || errOut != "" {
				t.Fatalf("exit %d, stderr %q", code, errOut)
			}
			var rep struct {
				Findings     []struct{ Rule, Message string }
				Environments []struct{ Name, Tool string }
			}
			if err := json.Unmarshal([]byte(out), &rep); err != nil {
				t.Fatal(err)
			}
			var tools []string
			for _, e := range rep.Environments {
				tools = append(tools, e.Name+" "+e.Tool)
			}
			if got := strings.Join(tools, ", "); got != tc.tools {
				t.Errorf("environments' tools %q, want %q", got, tc.tools)
			}
			var got []string
			for _, f := range rep.Findings {
				got = append(got, f.Rule+": "+f.Message)
			}
			want := []string{}
			if tc.want != "" {
				want = append(want, "version-skew: "+tc.want)
			}
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("findings:\n got %q\nwant %q", got, want)
			}
		})
	}
}

// requireTofu is the tofu that testdata/generate.sh runs: $TOFU, which
// .ci/run sets. Missing, it fails in CI and skips elsewhere.
func requireTofu(t *testing.T) string {
	t.Helper()
	p := os.Getenv("TOFU")
	if p == "" {
		msg := "TOFU is not set (the path of a tofu binary; .ci/run builds v1.10.10 into $(go env GOPATH)/tofu-v1.10.10 and sets it)"
		if os.Getenv("CI") != "" {
			t.Fatal(msg)
		}
		t.Skip("skipped: " + msg)
	}
	return p
}

// TestGenerateOpenTofu regenerates the OpenTofu variants with real tofu
// into a temporary directory: they are reproducible, and judged as the
// committed ones and their Terraform twins are.
func TestGenerateOpenTofu(t *testing.T) {
	tofu := requireTofu(t)
	requireTerraform(t) // tool-mix locks with terraform too
	if testing.Short() {
		t.Skip("runs tofu; skipped with -short")
	}
	t.Parallel()
	out := t.TempDir()
	cmd := exec.Command("bash", "../../testdata/generate.sh", out)
	cmd.Env = append(os.Environ(), "ONLY=opentofu", "TOFU="+tofu)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("generate.sh: %v\n%s", err, b)
	}
	regenerated := filepath.Join(out, "opentofu")
	for _, c := range scenarioCases {
		if _, err := os.Stat(filepath.Join(tofuScenarios, c.scenario)); err != nil {
			continue
		}
		for _, k := range kinds {
			_, want, _ := runCLI(t, append(scenarioArgsIn(tofuScenarios, c, k.ext), "--format", "json")...)
			_, got, errOut := runCLI(t, append(scenarioArgsIn(regenerated, c, k.ext), "--format", "json")...)
			a, _ := json.Marshal(judge(t, got))
			b, _ := json.Marshal(judge(t, want))
			if string(a) != string(b) {
				t.Errorf("%s/%s regenerated: %s\nwant %s\n%s", c.scenario, k.name, a, b, errOut)
			}
		}
	}
	for _, f := range []string{"encrypted-state/staging.tfstate", "encrypted-state/staging.tfplan"} {
		if b, err := os.ReadFile(filepath.Join(regenerated, f)); err != nil || !bytes.Contains(b, []byte(`"encrypted_data"`)) {
			t.Errorf("%s: not encrypted (%v)", f, err)
		}
	}
}
