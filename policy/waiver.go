package policy

import (
	"time"

	"github.com/lockstep-iac/lockstep/config"
	"github.com/lockstep-iac/lockstep/report"
)

// ApplyWaivers marks the findings that an unexpired waiver covers. Waived
// findings stay in the report (with "waived": true) so the evidence of what
// was accepted, by whom and until when, is never lost. An expired waiver
// suppresses nothing. today is compared as a UTC calendar day.
func ApplyWaivers(findings []report.Finding, waivers []config.Waiver, today time.Time) {
	for i := range findings {
		f := &findings[i]
		for _, w := range waivers {
			if w.Expired(today) || !waiverCovers(w, f) {
				continue
			}
			f.Waived = true
			f.Waiver = &report.Waiver{Name: w.Name, Owner: w.Owner, Reason: w.Reason, Expires: w.ExpiresText}
			break
		}
	}
}

func waiverCovers(w config.Waiver, f *report.Finding) bool {
	if w.Rule != f.Rule {
		return false
	}
	if len(w.Resources) == 0 {
		return true
	}
	candidates := []string{f.Address}
	for _, a := range f.Details.Addresses {
		candidates = append(candidates, a)
	}
	for _, p := range w.Resources {
		for _, a := range candidates {
			if p.Match(a) {
				return true
			}
		}
	}
	return false
}
