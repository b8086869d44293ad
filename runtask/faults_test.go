package runtask

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/lockstep-iac/lockstep/internal/hcpfake"
)

// TestFaults: whatever fails on HCP Terraform's side, the run ends failed
// with a message saying what, never a silent pass.
func TestFaults(t *testing.T) {
	state := fixture(t, "c-promotion-after/staging.state.json")
	cases := []struct {
		name      string
		ws        *hcpfake.Workspace
		workspace string
		stage     string
		timeout   time.Duration
		want      string
	}{
		{name: "download fails", ws: &hcpfake.Workspace{State: state, Fault: hcpfake.Fail500},
			want: "lockstep: cannot compare production with staging: environment staging's input hcp:acme/app-staging: download the state of HCP Terraform workspace acme/app-staging"},
		{name: "download 404", ws: &hcpfake.Workspace{State: state, Fault: hcpfake.NotFound}, want: "answered 404 Not Found; it does not exist, or the token may not read it"},
		{name: "download hangs", ws: &hcpfake.Workspace{State: state, Fault: hcpfake.Hang}, timeout: 300 * time.Millisecond, want: "context deadline exceeded"},
		{name: "no state", ws: &hcpfake.Workspace{}, want: "HCP Terraform workspace acme/app-staging has no state yet"},
		{name: "state too old", ws: &hcpfake.Workspace{State: state, NoJSON: true, TerraformVersion: "1.2.0"}, want: "the state is too old to read"},
		{name: "no such workspace", want: "read HCP Terraform workspace acme/app-staging: " + "http://"},
		{name: "workspace not mapped", ws: &hcpfake.Workspace{State: state}, workspace: "other/app-production", want: "workspace other/app-production is not an environment of"},
		{name: "first in promotion", ws: &hcpfake.Workspace{State: state}, workspace: "acme/app-staging", want: "lockstep: staging is first in the promotion order"},
		{name: "pre_plan", ws: &hcpfake.Workspace{State: state}, stage: "pre-plan", want: `stage "pre_plan" has no plan to check`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, func(s *Server) { s.RunTimeout = tc.timeout })
			if tc.ws != nil {
				h.fake.SetWorkspace("acme/app-staging", *tc.ws)
			}
			ws := tc.workspace
			if ws == "" {
				ws = "acme/app-production"
			}
			body := h.request("tr-1", ws, fixture(t, "c-promotion-after/production.plan.json"))
			if tc.stage != "" {
				body = []byte(strings.Replace(string(body), `"stage":"pre_apply"`, `"stage":"`+tc.stage+`"`, 1))
			}
			if resp := h.post(t, body, testKey); resp.StatusCode != http.StatusOK {
				t.Fatalf("status %d", resp.StatusCode)
			}
			got := h.final(t, "tr-1")
			t.Logf("%s: %s", got.Status, got.Message)
			wantStatus := StatusFailed
			if tc.name == "first in promotion" {
				wantStatus = StatusPassed
			}
			if got.Status != wantStatus || !strings.Contains(got.Message, tc.want) {
				t.Fatalf("got %s %q, want %s saying %q", got.Status, got.Message, wantStatus, tc.want)
			}
			for _, s := range []string{h.fake.RunToken, h.fake.Token, "SIGNED-QUERY-SECRET"} {
				if strings.Contains(string(got.Body), s) || strings.Contains(h.logs.String(), s) {
					t.Errorf("a secret reached the callback or the logs: %q", s)
				}
			}
		})
	}
}

// TestCallbackRetried: a callback answered 503 is sent again.
func TestCallbackRetried(t *testing.T) {
	h := newHarness(t, nil)
	h.fake.SetWorkspace("acme/app-staging", hcpfake.Workspace{State: fixture(t, "c-promotion-after/staging.state.json")})
	h.fake.CallbackFailures = 2 // the running callback's first try, and one more
	h.post(t, h.request("tr-1", "acme/app-production", fixture(t, "c-promotion-after/production.plan.json")), testKey)
	if got := h.final(t, "tr-1"); got.Status != StatusPassed {
		t.Fatalf("got %s %q", got.Status, got.Message)
	}
}

// TestDuplicate: HCP Terraform's retry of a request is run once.
func TestDuplicate(t *testing.T) {
	h := newHarness(t, nil)
	h.fake.SetWorkspace("acme/app-staging", hcpfake.Workspace{State: fixture(t, "c-promotion-after/staging.state.json")})
	body := h.request("tr-1", "acme/app-production", fixture(t, "c-promotion-after/production.plan.json"))
	for range 3 {
		if resp := h.post(t, body, testKey); resp.StatusCode != http.StatusOK {
			t.Fatalf("status %d", resp.StatusCode)
		}
	}
	h.final(t, "tr-1")
	time.Sleep(200 * time.Millisecond)
	h.final(t, "tr-1") // still exactly one
	if n := len(h.fake.Callbacks("tr-1")); n != 2 {
		t.Errorf("%d callbacks, want running and one final", n)
	}
}

// TestQueueFull: with every worker busy and the queue full, a request gets
// 503, and HCP Terraform's retry of it is taken once there is room.
func TestQueueFull(t *testing.T) {
	h := newHarness(t, func(s *Server) { s.Workers, s.Queue, s.RunTimeout = 1, 1, 2*time.Second })
	h.fake.SetWorkspace("acme/app-staging", hcpfake.Workspace{State: fixture(t, "c-promotion-after/staging.state.json"), Fault: hcpfake.Hang})
	plan := fixture(t, "c-promotion-after/production.plan.json")
	h.post(t, h.request("tr-1", "acme/app-production", plan), testKey)
	waitFor(t, func() bool { return len(h.fake.Callbacks("tr-1")) > 0 }) // the worker has taken it
	if resp := h.post(t, h.request("tr-2", "acme/app-production", plan), testKey); resp.StatusCode != http.StatusOK {
		t.Fatalf("second: %d", resp.StatusCode)
	}
	third := h.request("tr-3", "acme/app-production", plan)
	if resp := h.post(t, third, testKey); resp.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("third: %d, want 503", resp.StatusCode)
	}
	h.final(t, "tr-1")
	waitFor(t, func() bool { return len(h.fake.Callbacks("tr-2")) > 0 })
	if resp := h.post(t, third, testKey); resp.StatusCode != http.StatusOK {
		t.Fatalf("third again: %d", resp.StatusCode)
	}
	h.final(t, "tr-3")
}

// TestShutdownInFlight: a run in flight when the grace period ends is
// called back failed, saying why; a request after shutdown gets 503.
func TestShutdownInFlight(t *testing.T) {
	h := newHarness(t, nil)
	h.fake.SetWorkspace("acme/app-staging", hcpfake.Workspace{State: fixture(t, "c-promotion-after/staging.state.json"), Fault: hcpfake.Hang})
	plan := fixture(t, "c-promotion-after/production.plan.json")
	h.post(t, h.request("tr-1", "acme/app-production", plan), testKey)
	waitFor(t, func() bool { return len(h.fake.Callbacks("tr-1")) > 0 })
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	if err := h.srv.Shutdown(ctx); err == nil {
		t.Error("Shutdown returned nil with a run cut short")
	}
	got := h.final(t, "tr-1")
	if got.Status != StatusFailed || !strings.Contains(got.Message, "lockstep serve stopped before the run finished") {
		t.Fatalf("got %s %q", got.Status, got.Message)
	}
	if resp := h.post(t, h.request("tr-2", "acme/app-production", plan), testKey); resp.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("after shutdown: %d", resp.StatusCode)
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatal("timed out")
}
