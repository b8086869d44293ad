package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// liveTofuTF differs between the workspaces, with a secret in each.
const liveTofuTF = `
resource "terraform_data" "app" {
  input = { tier = "web", size = terraform.workspace == "production" ? "large" : "small" }
}

resource "terraform_data" "db" {
  input = { engine = "postgres", password = sensitive("pw-${terraform.workspace}-tofu-secret") }
}
`

// liveTofuEncryption encrypts states and plans (pbkdf2, aes_gcm); tofu
// reads it from TF_ENCRYPTION, in lockstep's environment as in the user's.
const liveTofuEncryption = `key_provider "pbkdf2" "k" {
  passphrase = "made-up-passphrase-for-the-test"
}
method "aes_gcm" "m" {
  keys = key_provider.pbkdf2.k
}
state {
  method = method.aes_gcm.m
}
plan {
  method = method.aes_gcm.m
}`

// TestLiveOpenTofu: working-directory inputs with tofu as the binary, named
// by --terraform or by TERRAFORM=tofu (found on PATH), read state and plans
// of workspaces whose states tofu encrypts; the report says tofu ran and
// holds no secret, and the findings are those of the workspaces.
func TestLiveOpenTofu(t *testing.T) {
	tofu := requireTofu(t)
	t.Setenv("TF_ENCRYPTION", liveTofuEncryption)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(liveTofuTF), 0o644); err != nil {
		t.Fatal(err)
	}
	run := func(args ...string) {
		t.Helper()
		cmd := exec.Command(tofu, args...)
		cmd.Dir = dir
		var errOut bytes.Buffer
		cmd.Stderr = &errOut
		if err := cmd.Run(); err != nil {
			t.Fatalf("tofu %s: %v\n%s", strings.Join(args, " "), err, errOut.String())
		}
	}
	run("init", "-input=false")
	for _, ws := range []string{"staging", "production"} {
		run("workspace", "new", ws)
		run("apply", "-auto-approve", "-input=false")
	}
	if b, err := os.ReadFile(filepath.Join(dir, "terraform.tfstate.d", "staging", "terraform.tfstate")); err != nil || !bytes.Contains(b, []byte(`"encrypted_data"`)) {
		t.Fatalf("tofu did not encrypt the state (%v)", err)
	}
	envs := []string{"--env", "staging=" + dir, "--env", "production=" + dir}
	for _, tc := range []struct {
		name      string
		args      []string
		terraform string // TERRAFORM
		via       string
	}{
		{"--terraform, state", []string{"--terraform", tofu}, "", "tofu state pull"},
		{"TERRAFORM=tofu, plan", []string{"--plan"}, "tofu", "tofu plan"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("TERRAFORM", tc.terraform)
			t.Setenv("PATH", filepath.Dir(tofu)+string(os.PathListSeparator)+os.Getenv("PATH"))
			code, out, errOut := runCLI(t, append(append([]string{"check", "--format", "json"}, tc.args...), envs...)...)
			if code != 1 || errOut != "" {
				t.Fatalf("exit %d, want 1 (findings); stderr %s", code, errOut)
			}
			if strings.Contains(out, "tofu-secret") {
				t.Error("the report holds a secret")
			}
			var rep struct {
				Findings []struct {
					Rule, Address string
				}
				Environments []struct {
					ReadFrom struct{ Via string } `json:"read_from"`
				}
			}
			if err := json.Unmarshal([]byte(out), &rep); err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range rep.Findings {
				got = append(got, f.Rule+" "+f.Address)
			}
			if want := "attribute-divergence terraform_data.app"; strings.Join(got, "\n") != want {
				t.Errorf("findings %q, want %q", got, want)
			}
			for i, e := range rep.Environments {
				if e.ReadFrom.Via != tc.via {
					t.Errorf("environment %d read via %q, want %q", i, e.ReadFrom.Via, tc.via)
				}
			}
		})
	}
}
