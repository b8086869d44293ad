package hcp

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/lockstep-iac/lockstep/internal/hcpfake"
)

const stateFixture = "../testdata/scenarios/c-promotion-after/staging.state.json"

func fixture(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestReadState(t *testing.T) {
	state := fixture(t, stateFixture)
	cases := []struct {
		name      string
		ws        *hcpfake.Workspace
		token     string
		maxBytes  int64
		timeout   time.Duration
		wantErr   any
		wantInErr string
	}{
		{name: "ok", ws: &hcpfake.Workspace{State: state}},
		{name: "no workspace", wantErr: new(*APIError), wantInErr: "404 Not Found; it does not exist, or the token may not read it"},
		{name: "no state", ws: &hcpfake.Workspace{}, wantErr: new(*NoStateError), wantInErr: "has no state yet"},
		{name: "too old", ws: &hcpfake.Workspace{State: state, NoJSON: true, TerraformVersion: "1.2.9"}, wantErr: new(*StateTooOldError), wantInErr: "written by Terraform 1.2.9"},
		{name: "download 500", ws: &hcpfake.Workspace{State: state, Fault: hcpfake.Fail500}, wantErr: new(*APIError), wantInErr: "500 Internal Server Error"},
		{name: "download 404", ws: &hcpfake.Workspace{State: state, Fault: hcpfake.NotFound}, wantErr: new(*APIError), wantInErr: "404"},
		{name: "download hangs", ws: &hcpfake.Workspace{State: state, Fault: hcpfake.Hang}, timeout: 200 * time.Millisecond, wantErr: new(*APIError), wantInErr: "context deadline exceeded"},
		{name: "too large", ws: &hcpfake.Workspace{State: state}, maxBytes: 100, wantErr: new(*TooLargeError), wantInErr: "larger than 100 bytes"},
		{name: "bad token", ws: &hcpfake.Workspace{State: state}, token: "wrong", wantErr: new(*APIError), wantInErr: "401 Unauthorized; the token is invalid or expired"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := hcpfake.New()
			defer srv.Close()
			if tc.ws != nil {
				srv.SetWorkspace("acme/app-staging", *tc.ws)
			}
			c := &Client{Address: srv.API.URL, Token: srv.Token, MaxBytes: tc.maxBytes}
			if tc.token != "" {
				c.Token = tc.token
			}
			ctx := context.Background()
			if tc.timeout > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, tc.timeout)
				defer cancel()
			}
			got, err := c.ReadState(ctx, WorkspaceRef{"acme", "app-staging"})
			if tc.wantErr == nil {
				if err != nil {
					t.Fatal(err)
				}
				if string(got.Data) != string(state) || got.StateVersion.Serial == nil || *got.StateVersion.Serial != 7 {
					t.Fatalf("got %d bytes, serial %v", len(got.Data), got.StateVersion.Serial)
				}
				return
			}
			if err == nil {
				t.Fatal("no error")
			}
			if !errors.As(err, tc.wantErr) {
				t.Errorf("error %T, want %T: %v", err, tc.wantErr, err)
			}
			msg := err.Error()
			if !strings.Contains(msg, tc.wantInErr) {
				t.Errorf("error %q does not say %q", msg, tc.wantInErr)
			}
			for _, secret := range []string{srv.Token, "SIGNED-QUERY-SECRET", tc.token} {
				if secret != "" && strings.Contains(msg, secret) {
					t.Errorf("error holds a secret %q: %s", secret, msg)
				}
			}
		})
	}
}

func TestNoTokenIsAnError(t *testing.T) {
	c := FromEnv(func(string) string { return "" })
	_, err := c.ReadState(context.Background(), WorkspaceRef{"acme", "x"})
	var nt *NoTokenError
	if !errors.As(err, &nt) || !strings.Contains(err.Error(), "LOCKSTEP_HCP_TOKEN or TF_TOKEN_app_terraform_io") {
		t.Fatalf("got %v", err)
	}
}

func TestTokenNeverLeavesTheAPIHost(t *testing.T) {
	srv := hcpfake.New()
	defer srv.Close()
	srv.SetWorkspace("acme/app-staging", hcpfake.Workspace{State: fixture(t, stateFixture)})
	planURL := srv.SetPlan("plan-1", fixture(t, "../testdata/scenarios/c-promotion-before/production.plan.json"))
	c := &Client{Address: srv.API.URL, Token: srv.Token}
	if _, err := c.ReadState(context.Background(), WorkspaceRef{"acme", "app-staging"}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.PlanJSON(context.Background(), planURL, srv.RunToken); err != nil {
		t.Fatal(err)
	}
	if len(srv.StorageAuth) != 2 {
		t.Fatalf("storage saw %d requests, want 2", len(srv.StorageAuth))
	}
	for _, a := range srv.StorageAuth {
		if a != "" {
			t.Errorf("the download host received Authorization %q", a)
		}
	}
	// A plan URL elsewhere never gets the run's token.
	_, err := c.PlanJSON(context.Background(), srv.Storage.URL+"/plans/plan-1", srv.RunToken)
	if err == nil || !strings.Contains(err.Error(), "not on "+srv.API.URL) {
		t.Fatalf("got %v", err)
	}
}

func TestFromEnv(t *testing.T) {
	cases := []struct {
		env                 map[string]string
		wantAddr, wantToken string
		wantErr             string
	}{
		{env: map[string]string{}, wantAddr: DefaultAddress},
		{env: map[string]string{"TF_TOKEN_app_terraform_io": "t1"}, wantAddr: DefaultAddress, wantToken: "t1"},
		{env: map[string]string{"TF_TOKEN_app_terraform_io": "t1", EnvToken: "t2"}, wantAddr: DefaultAddress, wantToken: "t2"},
		{env: map[string]string{EnvAddress: "tfe.example.com", "TF_TOKEN_tfe_example_com": "t3"}, wantAddr: "https://tfe.example.com", wantToken: "t3"},
		{env: map[string]string{EnvAddress: "http://tfe.example.com"}, wantErr: "plain http"},
		{env: map[string]string{EnvAddress: "http://127.0.0.1:8080"}, wantAddr: "http://127.0.0.1:8080"},
		{env: map[string]string{EnvAddress: "https://tfe.example.com/api"}, wantErr: "is not an address"},
	}
	for _, tc := range cases {
		c := FromEnv(func(k string) string { return tc.env[k] })
		err := c.Err()
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("%v: got %v, want %q", tc.env, err, tc.wantErr)
			}
			continue
		}
		if err != nil || c.Address != tc.wantAddr || c.Token != tc.wantToken {
			t.Errorf("%v: got %+v, %v", tc.env, c, err)
		}
	}
}

func TestParseWorkspace(t *testing.T) {
	for s, ok := range map[string]bool{"hcp:acme/app": true, "acme/app": true, "acme": false, "/app": false, "acme/": false, "acme/a/b": false, "hcp:": false} {
		_, err := ParseWorkspace(s)
		if (err == nil) != ok {
			t.Errorf("%q: %v", s, err)
		}
	}
}

func TestRedact(t *testing.T) {
	got := Redact("https://user:pw@archivist.example/v1/object/abc?X-Sig=SECRET#frag")
	if got != "https://archivist.example/v1/object/abc" {
		t.Fatal(got)
	}
}
