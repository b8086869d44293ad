package fleet

import (
	"slices"
	"testing"
	"time"

	"github.com/lockstep-iac/lockstep/config"
	"github.com/lockstep-iac/lockstep/evidence"
	"github.com/lockstep-iac/lockstep/report"
)

func parse(t *testing.T, src string) *config.Config {
	t.Helper()
	c, err := config.Parse([]byte(src), "lockstep.hcl", config.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestLayer: a stack's lockstep.hcl keeps what it declares and inherits
// the rest; waivers and declared differences add up; require_ticket holds
// when either asks for it.
func TestLayer(t *testing.T) {
	fleetCfg := parse(t, `environment "staging" {}
environment "production" {}
promotion = ["staging", "production"]
require_ticket = true
rule "version-skew" { severity = "error" }
rule "out-of-band-drift" { enabled = false }
waiver "a" { 
  rule = "attribute-divergence"
  reason = "r"
  owner = "o"
  expires = "2027-01-01"
}
`)
	own := parse(t, `rule "version-skew" { severity = "warning" }
waiver "b" {
  rule = "missing-resource"
  reason = "r"
  owner = "o"
  expires = "2027-01-01"
}
only_in "production" {
  resources = ["x.y"]
  reason = "r"
}
`)
	got := layer(fleetCfg, own)
	if !slices.Equal(got.Promotion, []string{"staging", "production"}) || len(got.Environments) != 2 || !got.RequireTicket {
		t.Errorf("inherited: promotion %v, %d environments, require_ticket %v", got.Promotion, len(got.Environments), got.RequireTicket)
	}
	if len(got.Waivers) != 2 || got.Waivers[0].Name != "a" || got.Waivers[1].Name != "b" || len(got.OnlyIn) != 1 {
		t.Errorf("waivers %v, only_in %v: want the fleet's and the stack's", got.Waivers, got.OnlyIn)
	}
	sev := map[string]string{}
	for _, r := range got.Rules {
		sev[r.ID] = string(r.Severity)
	}
	if len(got.Rules) != 2 || sev["version-skew"] != "warning" {
		t.Errorf("rules %+v: want the stack's version-skew over the fleet's, and out-of-band-drift kept", got.Rules)
	}
	if len(fleetCfg.Waivers) != 1 || layer(fleetCfg, nil) != fleetCfg || layer(nil, own) != own {
		t.Error("layer changed the fleet's config, or did not pass one alone through")
	}
}

// TestWaiverStates: expired, stale, expiring (within the warning, the
// expiry day included) and active, with days left, and the missing ticket.
func TestWaiverStates(t *testing.T) {
	cfg := parse(t, `require_ticket = true
waiver "expired" {
  rule = "attribute-divergence"
  reason = "r"
  owner = "o"
  expires = "2026-11-30"
}
waiver "stale" {
  rule = "missing-resource"
  reason = "r"
  owner = "o"
  expires = "2027-06-01"
  ticket = "T-1"
  approved_by = "cab"
}
waiver "today" {
  rule = "attribute-divergence"
  reason = "r"
  owner = "o"
  expires = "2026-12-01"
  ticket = "T-2"
}
waiver "edge" {
  rule = "attribute-divergence"
  reason = "r"
  owner = "o"
  expires = "2026-12-15"
  ticket = "T-3"
  approved_by = "cab"
}
waiver "active" {
  rule = "attribute-divergence"
  reason = "r"
  owner = "o"
  expires = "2026-12-16"
  ticket = "T-4"
  approved_by = "cab"
}
`)
	findings := []report.Finding{{Rule: "attribute-divergence", Address: "a.b"}}
	got := waivers(cfg, findings, time.Date(2026, 12, 1, 15, 0, 0, 0, time.UTC), 14)
	want := []struct {
		state   string
		days    int
		missing bool
	}{
		{evidence.WaiverExpired, -1, true},
		{evidence.WaiverStale, 182, false},
		{evidence.WaiverExpiring, 0, true},
		{evidence.WaiverExpiring, 14, false},
		{evidence.WaiverActive, 15, false},
	}
	for i, w := range got {
		if w.State != want[i].state || w.DaysLeft != want[i].days || w.MissingTicket != want[i].missing {
			t.Errorf("%s: %s, %d days left, missing ticket %v; want %+v", w.Name, w.State, w.DaysLeft, w.MissingTicket, want[i])
		}
	}
	if got[4].Matched != 1 || got[1].Matched != 0 {
		t.Errorf("matched: active %d, stale %d", got[4].Matched, got[1].Matched)
	}
}
