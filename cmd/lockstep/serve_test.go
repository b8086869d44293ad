package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestServeRefusesBadSetup: lockstep serve stops at start, exit 2, saying
// what to set, rather than answering every run with the same failure.
func TestServeRefusesBadSetup(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.hcl")
	_ = os.WriteFile(good, []byte(`promotion = ["staging", "production"]
environment "staging"    { hcp_workspace = "acme/app-{env}" }
environment "production" { hcp_workspace = "acme/app-{env}" }
`), 0o600)
	unmapped := filepath.Join(dir, "unmapped.hcl")
	_ = os.WriteFile(unmapped, []byte(`promotion = ["staging", "production"]`+"\n"), 0o600)
	keyFile := filepath.Join(dir, "key")
	_ = os.WriteFile(keyFile, []byte("k"), 0o600)
	for _, tc := range []struct {
		name string
		args []string
		env  map[string]string
		want string
	}{
		{"no token", []string{"--config", good}, nil, "set LOCKSTEP_HCP_TOKEN or TF_TOKEN_app_terraform_io"},
		{"plain http address", []string{"--config", good}, map[string]string{"LOCKSTEP_HCP_ADDRESS": "http://tfe.example.com", "LOCKSTEP_HCP_TOKEN": "t"}, "uses plain http"},
		{"cert without key", []string{"--config", good, "--tls-cert", "c.pem"}, map[string]string{"LOCKSTEP_HCP_TOKEN": "t"}, "--tls-cert and --tls-key go together"},
		{"two keys", []string{"--config", good, "--hmac-key-file", keyFile}, map[string]string{"LOCKSTEP_HCP_TOKEN": "t", "LOCKSTEP_HMAC_KEY": "k"}, "give the key one way"},
		{"run timeout over token life", []string{"--config", good, "--run-timeout", "10m"}, map[string]string{"LOCKSTEP_HCP_TOKEN": "t"}, "under the 10 minutes"},
		{"unmapped config", []string{"--config", unmapped}, map[string]string{"LOCKSTEP_HCP_TOKEN": "t"}, "maps no environment to an HCP Terraform workspace"},
		{"no config", []string{"--config", filepath.Join(dir, "none.hcl")}, map[string]string{"LOCKSTEP_HCP_TOKEN": "t"}, "none.hcl"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, k := range []string{"LOCKSTEP_HCP_TOKEN", "TF_TOKEN_app_terraform_io", "LOCKSTEP_HCP_ADDRESS", "LOCKSTEP_HMAC_KEY"} {
				t.Setenv(k, tc.env[k])
			}
			var out, errb bytes.Buffer
			code := run(append([]string{"serve", "--listen", "127.0.0.1:0"}, tc.args...), &out, &errb)
			if code != exitError || !strings.Contains(errb.String(), tc.want) {
				t.Fatalf("exit %d, stderr %q; want 2 saying %q", code, errb.String(), tc.want)
			}
			if strings.Contains(errb.String(), "LOCKSTEP_HMAC_KEY=k") {
				t.Error("a key in the message")
			}
		})
	}
}
