package workdir

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestErrors: each way a read fails is its own error type, made by a real
// directory in that situation, naming the environment, with the fix in its
// message, and without the state's content or the backend's password.
func TestErrors(t *testing.T) {
	bin := terraformBin(t)
	local := workspacesDir(t, bin, mainTF, nil, "", "staging")
	tf(t, bin, local, nil, "workspace", "new", "empty")
	uninit := t.TempDir()
	if err := os.WriteFile(filepath.Join(uninit, "main.tf"), []byte(pgTF), 0o644); err != nil {
		t.Fatal(err)
	}
	pg, srv := pgDir(t, bin)
	stopped := func() { srv.Stop() }
	notModule := t.TempDir()
	// Initialised, then its backend block edited: Terraform itself asks
	// for `terraform init`.
	changed := workspacesDir(t, bin, `terraform {
  backend "local" { path = "x.tfstate" }
}`, nil, "")
	if err := os.WriteFile(filepath.Join(changed, "main.tf"), []byte(`terraform {
  backend "local" { path = "y.tfstate" }
}`), 0o644); err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct {
		name   string
		spec   Spec
		before func()
		is     any
		says   []string
	}{
		{"terraform not found, pg backend", Spec{Env: "production", Dir: pg}, nil, new(*NotFoundError),
			[]string{`environment "production"`, "Terraform not found", `"pg" backend`, "--terraform"}},
		{"terraform not found, plan", Spec{Env: "staging", Dir: local, Plan: true}, nil, new(*NotFoundError),
			[]string{"plan mode", "install Terraform or OpenTofu"}},
		{"not initialised", Spec{Env: "staging", Dir: uninit, Terraform: bin}, nil, new(*NotInitializedError),
			[]string{`environment "staging"`, "not initialised", "terraform init"}},
		{"backend changed since init", Spec{Env: "staging", Dir: changed, Terraform: bin}, nil, new(*NotInitializedError),
			[]string{"not initialised", "terraform init"}},
		{"workspace missing, through terraform", Spec{Env: "prod", Dir: local, Terraform: bin}, nil, new(*WorkspaceMissingError),
			[]string{`workspace "prod" does not exist`, "it has: default, empty, staging", "workspace ="}},
		{"workspace missing, direct", Spec{Env: "prod", Dir: local}, nil, new(*WorkspaceMissingError),
			[]string{`workspace "prod" does not exist`, "it has: default, empty, staging"}},
		{"state empty, through terraform", Spec{Env: "empty", Dir: local, Terraform: bin}, nil, new(*StateEmptyError),
			[]string{`workspace "empty"`, "no state yet"}},
		{"state empty, direct", Spec{Env: "empty", Dir: local}, nil, new(*StateEmptyError),
			[]string{"no state yet"}},
		{"not a root module", Spec{Env: "staging", Dir: notModule, Terraform: bin}, nil, new(*DirError),
			[]string{"no .tf file", "terraform plan"}},
		// Last: it stops the server.
		{"backend unreachable", Spec{Env: "staging", Dir: pg, Terraform: bin}, stopped, new(*BackendError),
			[]string{`environment "staging"`, `"pg" backend`, "credentials", "127.0.0.1"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.before != nil {
				tc.before()
			}
			_, err := Read(context.Background(), tc.spec)
			if err == nil {
				t.Fatal("no error")
			}
			if !errors.As(err, tc.is) {
				t.Fatalf("error %T: %v", err, err)
			}
			msg := err.Error()
			for _, s := range tc.says {
				if !strings.Contains(msg, s) {
					t.Errorf("error does not say %q:\n%s", s, msg)
				}
			}
			for _, secret := range []string{pgPassword, "-secret"} {
				if strings.Contains(msg, secret) {
					t.Errorf("error holds a secret:\n%s", msg)
				}
			}
		})
	}
}

// TestTimeout: a Terraform that hangs is stopped at the timeout, and the
// error says so. The binary is a stand-in that never answers (it prints
// nothing, so it pretends no Terraform output).
func TestTimeout(t *testing.T) {
	dir := t.TempDir()
	hang := filepath.Join(dir, "terraform")
	pidFile := filepath.Join(dir, "pid")
	script := "#!/bin/sh\necho $$ > " + pidFile + "\nexec sleep 600\n"
	if err := os.WriteFile(hang, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	// Pull: a local backend's file would be read without running it.
	_, err := Read(context.Background(), Spec{Env: "staging", Dir: dir, Terraform: hang, Pull: true, Timeout: 500 * time.Millisecond, KillDelay: 200 * time.Millisecond})
	var te *TimeoutError
	if !errors.As(err, &te) || !strings.Contains(err.Error(), "did not finish within 500ms") {
		t.Fatalf("error %T: %v", err, err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %s", d)
	}
	pid, _ := os.ReadFile(pidFile)
	if _, err := os.Stat("/proc/" + strings.TrimSpace(string(pid))); err == nil {
		t.Errorf("the hanging process %s is still running", pid)
	}
}
