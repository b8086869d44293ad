package runtask

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/lockstep-iac/lockstep/internal/hcpfake"
)

// TestEndToEnd: a signed pre_apply request for production, where staging
// has not applied the change, gets 200 at once, then a running and a
// failed callback with a promotion-order outcome; once staging's state is
// updated, the same request ends passed.
func TestEndToEnd(t *testing.T) {
	h := newHarness(t, nil)
	h.fake.SetWorkspace("acme/app-staging", hcpfake.Workspace{State: fixture(t, "c-promotion-before/staging.state.json")})
	plan := fixture(t, "c-promotion-before/production.plan.json")

	start := time.Now()
	if resp := h.post(t, h.request("tr-1", "acme/app-production", plan), testKey); resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("the answer took %s: it must not wait for the run", d)
	}
	got := h.final(t, "tr-1")
	cbs := h.fake.Callbacks("tr-1")
	if cbs[0].Status != StatusRunning {
		t.Errorf("first callback %q, want running", cbs[0].Status)
	}
	for _, c := range cbs {
		if c.Authorization != "Bearer "+h.fake.RunToken || c.ContentType != "application/vnd.api+json" {
			t.Errorf("callback headers %q %q", c.Authorization, c.ContentType)
		}
	}
	if got.Status != StatusFailed || !strings.HasPrefix(got.Message, "lockstep: 1 error, 0 warnings, 0 waived comparing production (acme/app-production) with staging (acme/app-staging)") {
		t.Fatalf("final %q %q", got.Status, got.Message)
	}
	var ids []string
	for _, o := range outcomes(t, got) {
		ids = append(ids, o.ID)
		if o.ID == "promotion-order terraform_data.db" {
			if o.Tags.Severity[0] != (Tag{"Error", "error"}) || !strings.Contains(o.Body, "promotion-order") || !strings.HasPrefix(o.URL, "https://") {
				t.Errorf("outcome %+v", o)
			}
		}
	}
	// promotion-order takes in the one-sided-change of the same root cause
	// (details.related): one outcome.
	if strings.Join(ids, ",") != "promotion-order terraform_data.db" {
		t.Errorf("outcomes %v", ids)
	}

	h.fake.SetWorkspace("acme/app-staging", hcpfake.Workspace{State: fixture(t, "c-promotion-after/staging.state.json")})
	h.post(t, h.request("tr-2", "acme/app-production", plan), testKey)
	if got := h.final(t, "tr-2"); got.Status != StatusPassed || !strings.HasPrefix(got.Message, "lockstep: 0 errors, 0 warnings, 0 waived") {
		t.Fatalf("after staging applied: %q %q", got.Status, got.Message)
	}
}

// TestSignatures: only a request that fits the key is run; the
// verification request is answered and not called back.
func TestSignatures(t *testing.T) {
	cases := []struct {
		name     string
		serverKy []byte
		signWith []byte
		token    string
		want     int
	}{
		{name: "wrong key", serverKy: testKey, signWith: []byte("other"), want: http.StatusUnauthorized},
		{name: "unsigned with a key", serverKy: testKey, want: http.StatusUnauthorized},
		{name: "signed without a key", signWith: testKey, want: http.StatusBadRequest},
		{name: "verification", serverKy: testKey, signWith: testKey, token: VerificationToken, want: http.StatusOK},
		{name: "verification without a key", token: VerificationToken, want: http.StatusOK},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, func(s *Server) { s.HMACKey = tc.serverKy })
			h.fake.SetWorkspace("acme/app-staging", hcpfake.Workspace{State: fixture(t, "c-promotion-before/staging.state.json")})
			body := h.request("tr-1", "acme/app-production", fixture(t, "c-promotion-before/production.plan.json"))
			if tc.token != "" {
				body = []byte(strings.Replace(string(body), h.fake.RunToken, tc.token, 1))
			}
			if resp := h.post(t, body, tc.signWith); resp.StatusCode != tc.want {
				t.Fatalf("status %d, want %d", resp.StatusCode, tc.want)
			}
			time.Sleep(100 * time.Millisecond)
			if n := len(h.fake.Callbacks("")); n != 0 {
				t.Errorf("%d callbacks, want none", n)
			}
			if n := h.fake.Requests["organizations"] + h.fake.Requests["plans"]; n != 0 {
				t.Errorf("%d requests to HCP Terraform, want none", n)
			}
		})
	}
}

// TestBadRequests: a body over the limit, not JSON, or without what a run
// needs is refused before any work.
func TestBadRequests(t *testing.T) {
	h := newHarness(t, func(s *Server) { s.MaxBodyBytes = 4096 })
	for _, tc := range []struct {
		name string
		body []byte
		want int
	}{
		{"too large", []byte(`{"payload_version":1,"pad":"` + strings.Repeat("x", 5000) + `"}`), http.StatusRequestEntityTooLarge},
		{"not json", []byte(`not json`), http.StatusBadRequest},
		{"version 2", []byte(`{"payload_version":2,"access_token":"t"}`), http.StatusBadRequest},
		{"no task result", []byte(`{"payload_version":1,"access_token":"t","organization_name":"acme","workspace_name":"w"}`), http.StatusBadRequest},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if resp := h.post(t, tc.body, testKey); resp.StatusCode != tc.want {
				t.Fatalf("status %d, want %d", resp.StatusCode, tc.want)
			}
		})
	}
	if n := len(h.fake.Callbacks("")); n != 0 {
		t.Errorf("%d callbacks, want none", n)
	}
	resp, err := h.http.Client().Get(h.http.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET / answered %d", resp.StatusCode)
	}
}

// TestHealth: /healthz while alive, /readyz until shutdown.
func TestHealth(t *testing.T) {
	h := newHarness(t, nil)
	get := func(path string) int {
		resp, err := h.http.Client().Get(h.http.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if get("/healthz") != 200 || get("/readyz") != 200 {
		t.Fatal("not healthy and ready")
	}
	h.srv.ready.Store(false)
	if get("/healthz") != 200 || get("/readyz") != 503 {
		t.Fatal("ready while stopping")
	}
}
