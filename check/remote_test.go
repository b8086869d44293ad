package check_test

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/lockstep-iac/lockstep/check"
	"github.com/lockstep-iac/lockstep/hcp"
	"github.com/lockstep-iac/lockstep/internal/hcpfake"
	"github.com/lockstep-iac/lockstep/report"
)

// TestHCPInput: an environment written hcp:ORG/WORKSPACE is read through
// the HCP Terraform API (the stand-in) and judged like a file; one that
// cannot be read is an error naming the environment and the workspace,
// never a silent pass; a held input (Options.InputData) is not read from
// its Path.
func TestHCPInput(t *testing.T) {
	read := func(p string) []byte {
		data, err := os.ReadFile("../testdata/scenarios/" + p)
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	plan := read("c-promotion-before/production.plan.json")
	cases := []struct {
		name      string
		ws        *hcpfake.Workspace
		noClient  bool
		wantRules []string
		wantErr   string
	}{
		{name: "staging behind", ws: &hcpfake.Workspace{State: read("c-promotion-before/staging.state.json")}, wantRules: []string{"promotion-order"}}, // its one-sided-change is folded in (details.related)
		{name: "staging applied", ws: &hcpfake.Workspace{State: read("c-promotion-after/staging.state.json")}},
		{name: "download fails", ws: &hcpfake.Workspace{State: read("c-promotion-after/staging.state.json"), Fault: hcpfake.Fail500},
			wantErr: "environment staging's input hcp:acme/app-staging: download the state of HCP Terraform workspace acme/app-staging"},
		{name: "no workspace", wantErr: "environment staging's input hcp:acme/app-staging: read HCP Terraform workspace acme/app-staging"},
		{name: "no client", noClient: true, wantErr: "Options.HCP is nil"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := hcpfake.New()
			defer srv.Close()
			if tc.ws != nil {
				srv.SetWorkspace("acme/app-staging", *tc.ws)
			}
			opts := check.Options{
				Inputs: []check.Input{
					{Name: "staging", Path: "hcp:acme/app-staging"},
					{Name: "production", Path: "hcp:acme/app-production"},
				},
				InputData: map[string][]byte{"production": plan},
				Target:    "production",
				FailOn:    check.FailOnNever,
				HCP:       &hcp.Client{Address: srv.API.URL, Token: srv.Token},
			}
			if tc.noClient {
				opts.HCP = nil
			}
			rep, err := check.Run(context.Background(), opts)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("got %v, want an error saying %q", err, tc.wantErr)
				}
				if strings.Contains(err.Error(), srv.Token) || strings.Contains(err.Error(), "SIGNED-QUERY-SECRET") {
					t.Fatalf("the error holds a secret: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var rules []string
			for _, f := range rep.Findings {
				rules = append(rules, f.Rule)
			}
			if strings.Join(rules, ",") != strings.Join(tc.wantRules, ",") {
				t.Errorf("findings %v, want %v", rules, tc.wantRules)
			}
			from := rep.Environments[0].ReadFrom
			if from == nil || from.Kind != report.KindHCP || !strings.HasPrefix(from.Line(), "HCP Terraform workspace acme/app-staging (HCP Terraform API, state version sv-ws-acme-app-staging, written by Terraform 1.11.4, serial 7)") {
				t.Errorf("staging read from %+v", from)
			}
			if rep.Environments[1].ReadFrom != nil {
				t.Errorf("a held input has a provenance: %+v", rep.Environments[1].ReadFrom)
			}
		})
	}
}

// TestRemoteErrorIsAnInputError: errors.As finds the hcp package's error
// through the check's.
func TestRemoteErrorIsAnInputError(t *testing.T) {
	err := error(&check.RemoteError{Env: "staging", Workspace: "acme/x", Err: &hcp.NoStateError{Workspace: "acme/x"}})
	var ns *hcp.NoStateError
	if !errors.As(err, &ns) {
		t.Fatal("no NoStateError")
	}
}
