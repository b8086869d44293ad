package runtask

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lockstep-iac/lockstep/internal/hcpfake"
)

// TestSecretsNeverSent: for every scenario, staging's state read through
// the API and production's plan from the run, no password of
// testdata/scenarios/secrets.txt, no token and no HMAC key reaches a
// callback (message, outcomes, Markdown bodies) or a log line.
func TestSecretsNeverSent(t *testing.T) {
	secrets := strings.Fields(string(fixture(t, "secrets.txt")))
	if len(secrets) < 5 {
		t.Fatalf("only %d secrets", len(secrets))
	}
	dirs, _ := filepath.Glob("../testdata/scenarios/*/production.plan.json")
	h := newHarness(t, nil)
	for i, planPath := range dirs {
		dir := filepath.Dir(planPath)
		state, err := os.ReadFile(filepath.Join(dir, "staging.state.json"))
		if err != nil {
			continue
		}
		plan, err := os.ReadFile(planPath)
		if err != nil {
			t.Fatal(err)
		}
		stack := "s" + string(rune('a'+i))
		h.fake.SetWorkspace("acme/"+stack+"-staging", hcpfake.Workspace{State: state})
		tr := "tr-" + filepath.Base(dir)
		h.post(t, h.request(tr, "acme/"+stack+"-production", plan), testKey)
		got := h.final(t, tr)
		t.Logf("%s: %s %s (%d outcomes)", filepath.Base(dir), got.Status, got.Message, len(outcomes(t, got)))
	}
	all := string(h.logs.String())
	for _, c := range h.fake.Callbacks("") {
		all += string(c.Body)
	}
	if !strings.Contains(all, "shared-secret") {
		t.Fatal("no shared-secret outcome: the test does not see the scenario that holds secrets")
	}
	for _, s := range append(secrets, h.fake.RunToken, h.fake.Token, string(testKey), "SIGNED-QUERY-SECRET") {
		if strings.Contains(all, s) {
			t.Errorf("%q reached a callback or a log line", s)
		}
	}
}
