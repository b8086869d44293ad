package config

import (
	"strings"
	"testing"
)

func TestHCPWorkspace(t *testing.T) {
	const cfg = `
environment "staging"    { hcp_workspace = "acme/{stack}-{env}" }
environment "production" { hcp_workspace = "acme/{stack}-prod" }
environment "dev"        { hcp_workspace = "acme/sandbox" }
environment "local" {}
`
	c, err := Parse([]byte(cfg), "lockstep.hcl", Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		workspace, env, stack string
		ok                    bool
	}{
		{"acme/payments-staging", "staging", "payments", true},
		{"acme/payments-prod", "production", "payments", true},
		{"ACME/Payments-Prod", "production", "Payments", true},
		{"acme/sandbox", "dev", "", true},
		{"acme/payments-production", "", "", false},
		{"other/payments-prod", "", "", false},
		{"acme/a/b-prod", "", "", false},
	} {
		env, stack, ok, err := c.HCPMatch(tc.workspace)
		if err != nil || env != tc.env || stack != tc.stack || ok != tc.ok {
			t.Errorf("HCPMatch(%q) = %q, %q, %v, %v; want %q, %q, %v", tc.workspace, env, stack, ok, err, tc.env, tc.stack, tc.ok)
		}
	}
	if got := c.HCPWorkspaceOf("staging", "payments"); got != "acme/payments-staging" {
		t.Errorf("HCPWorkspaceOf = %q", got)
	}
	if got := c.HCPWorkspaceOf("local", "payments"); got != "" {
		t.Errorf("HCPWorkspaceOf(local) = %q", got)
	}
}

func TestHCPWorkspaceAmbiguous(t *testing.T) {
	c, err := Parse([]byte(`
environment "a" { hcp_workspace = "acme/{stack}" }
environment "b" { hcp_workspace = "acme/x-{stack}" }
`), "lockstep.hcl", Options{})
	if err != nil {
		t.Fatal(err)
	}
	_, _, _, err = c.HCPMatch("acme/x-y")
	if err == nil || !strings.Contains(err.Error(), "matches the hcp_workspace of environments a and b") {
		t.Fatalf("got %v", err)
	}
}

func TestHCPWorkspaceInvalid(t *testing.T) {
	for _, v := range []string{`"acme"`, `"acme/"`, `"/app"`, `"acme/a/b"`, `"acme/{stack}-{stack}"`, `"acme/{region}"`, `"acme/a b"`, `""`, `true`} {
		_, err := Parse([]byte(`environment "s" { hcp_workspace = `+v+` }`), "lockstep.hcl", Options{})
		if err == nil || !strings.Contains(err.Error(), "hcp_workspace") {
			t.Errorf("%s: got %v", v, err)
		}
	}
}
