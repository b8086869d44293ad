package workdir

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFindTerraform: --terraform, then $TERRAFORM, then terraform and tofu
// on PATH; a named binary that is not there is an error, nothing found is
// not.
func TestFindTerraform(t *testing.T) {
	dir := t.TempDir()
	exe := func(name string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte("#!/bin/sh\n"), 0o755); err != nil {
			t.Fatal(err)
		}
		return p
	}
	flag, env, tofu := exe("tf-flag"), exe("tf-env"), exe("tofu")
	empty := t.TempDir()
	for _, tc := range []struct {
		name, flag, env, path, want, err string
	}{
		{"flag first", flag, env, dir, flag, ""},
		{"then TERRAFORM", "", env, dir, env, ""},
		{"then tofu on PATH", "", "", dir, tofu, ""},
		{"nothing", "", "", empty, "", ""},
		{"flag missing", filepath.Join(dir, "nope"), env, dir, "", "--terraform"},
		{"TERRAFORM missing", "", filepath.Join(dir, "nope"), dir, "", "$TERRAFORM"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("PATH", tc.path)
			got, err := FindTerraform(tc.flag, func(k string) string {
				if k == "TERRAFORM" {
					return tc.env
				}
				return ""
			})
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v, want one naming %s", err, tc.err)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("got %q, %v; want %q", got, err, tc.want)
			}
		})
	}
	if toolName(tofu) != "tofu" || toolName(flag) != "terraform" {
		t.Error("toolName")
	}
}

// TestToolOf: the binary's name tells OpenTofu from Terraform; a name that
// says neither is not guessed at.
func TestToolOf(t *testing.T) {
	for _, tc := range []struct{ path, want string }{
		{"/usr/bin/tofu", "opentofu"},
		{"/opt/tofu-1.10.10", "opentofu"},
		{"/usr/local/bin/terraform", "terraform"},
		{"terraform_1.11.4", "terraform"},
		{"/usr/local/bin/tf-wrapper", ""},
	} {
		if got := toolOf(tc.path); got != tc.want {
			t.Errorf("toolOf(%q) = %q, want %q", tc.path, got, tc.want)
		}
	}
}
