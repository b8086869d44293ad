package config

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestEnvPolicyBlock: env_policy's directories are relative to the config
// file; its mistakes are diagnostics at their place.
func TestEnvPolicyBlock(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		dirs, ns  []string
		all       bool
		wantErr   string
	}{
		{"dirs and namespaces", `env_policy {
  dirs       = ["policy/conftest", "/abs/data"]
  namespaces = ["main", "main.*"]
}`, []string{filepath.Join("cfg", "policy", "conftest"), "/abs/data"}, []string{"main", "main.*"}, false, ""},
		{"all namespaces", `env_policy {
  dirs           = ["p"]
  all_namespaces = true
}`, []string{filepath.Join("cfg", "p")}, nil, true, ""},
		{"no dirs", "env_policy {}", nil, nil, false, "lockstep.hcl:1:1: Missing required argument"},
		{"empty dirs", "env_policy {\n  dirs = []\n}", nil, nil, false, "lockstep.hcl:2:10: Empty directory list"},
		{"twice", "env_policy {\n  dirs = [\"a\"]\n}\nenv_policy {\n  dirs = [\"b\"]\n}", nil, nil, false, "lockstep.hcl:4:1: Duplicate env_policy block; An env_policy block was already declared on line 1"},
		{"unknown argument", "env_policy {\n  dirs = [\"a\"]\n  namespace = \"main\"\n}", nil, nil, false, `lockstep.hcl:3:3: Unsupported argument; An argument named "namespace" is not expected here`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := Parse([]byte(tc.src), filepath.Join("cfg", "lockstep.hcl"), Options{})
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			ep := c.EnvPolicy
			if ep == nil || !slices.Equal(ep.Dirs, tc.dirs) || !slices.Equal(ep.Namespaces, tc.ns) || ep.AllNamespaces != tc.all {
				t.Errorf("env_policy %+v, want dirs %q namespaces %q all %v", ep, tc.dirs, tc.ns, tc.all)
			}
		})
	}
}
