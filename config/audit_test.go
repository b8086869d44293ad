package config

import (
	"strings"
	"testing"
)

// TestWaiverAuditFields: ticket, approved_by and require_ticket are read;
// a blank ticket or a require_ticket that is not a bool is an error.
func TestWaiverAuditFields(t *testing.T) {
	const waiver = `waiver "w" {
  rule    = "attribute-divergence"
  reason  = "r"
  owner   = "o"
  expires = "2027-01-31"
  %s
}
`
	for _, tc := range []struct {
		name, src        string
		ticket, approver string
		require          bool
		wantErr          string
	}{
		{"both", "require_ticket = true\n" + strings.Replace(waiver, "%s", "ticket = \"CHG-1\"\n  approved_by = \"cab\"", 1), "CHG-1", "cab", true, ""},
		{"neither", strings.Replace(waiver, "%s", "", 1), "", "", false, ""},
		{"blank ticket", strings.Replace(waiver, "%s", "ticket = \" \"", 1), "", "", false, "must not be empty"},
		{"require not bool", "require_ticket = \"maybe\"\n", "", "", false, "require_ticket must be true or false"},
	} {
		cfg, err := Parse([]byte(tc.src), "lockstep.hcl", Options{})
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("%s: %v, want %q", tc.name, err, tc.wantErr)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if w := cfg.Waivers[0]; w.Ticket != tc.ticket || w.ApprovedBy != tc.approver || cfg.RequireTicket != tc.require {
			t.Errorf("%s: ticket %q, approved_by %q, require_ticket %v", tc.name, w.Ticket, w.ApprovedBy, cfg.RequireTicket)
		}
	}
}
