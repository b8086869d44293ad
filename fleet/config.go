package fleet

import (
	"slices"
	"time"

	"github.com/lockstep-iac/lockstep/config"
	"github.com/lockstep-iac/lockstep/evidence"
	"github.com/lockstep-iac/lockstep/policy"
	"github.com/lockstep-iac/lockstep/report"
)

// layer lays a stack's own lockstep.hcl over the fleet's: the stack keeps
// its environments, promotion and rule settings where it declares them and
// inherits the fleet's otherwise; declared differences and waivers of both
// apply.
func layer(fleet, own *config.Config) *config.Config {
	if own == nil {
		return fleet
	}
	if fleet == nil {
		return own
	}
	out := *own
	if len(out.Environments) == 0 {
		out.Environments = fleet.Environments
	}
	if out.Promotion == nil {
		out.Promotion, out.PromotionRange = fleet.Promotion, fleet.PromotionRange
	}
	out.ExpectDifferences = append(slices.Clip(fleet.ExpectDifferences), own.ExpectDifferences...)
	out.OnlyIn = append(slices.Clip(fleet.OnlyIn), own.OnlyIn...)
	out.Waivers = append(slices.Clip(fleet.Waivers), own.Waivers...)
	out.RequireTicket = fleet.RequireTicket || own.RequireTicket
	out.Rules = nil
	for _, r := range fleet.Rules {
		if !slices.ContainsFunc(own.Rules, func(o config.RuleSetting) bool { return o.ID == r.ID }) {
			out.Rules = append(out.Rules, r)
		}
	}
	out.Rules = append(out.Rules, own.Rules...)
	return &out
}

// declared lists the config's intended differences with their reasons.
func declared(cfg *config.Config) []evidence.Declared {
	out := []evidence.Declared{}
	if cfg == nil {
		return out
	}
	for _, d := range cfg.ExpectDifferences {
		e := evidence.Declared{Kind: "expect_difference", Name: d.Name, Environments: d.Environments, Reason: d.Reason, File: d.Range.Filename, Line: d.Range.Start.Line}
		for _, p := range d.Resources {
			e.Resources = append(e.Resources, p.String())
		}
		for _, p := range d.Attributes {
			e.Attributes = append(e.Attributes, p.String())
		}
		out = append(out, e)
	}
	for _, o := range cfg.OnlyIn {
		e := evidence.Declared{Kind: "only_in", Environment: o.Environment, Reason: o.Reason, File: o.Range.Filename, Line: o.Range.Start.Line}
		for _, p := range o.Resources {
			e.Resources = append(e.Resources, p.String())
		}
		out = append(out, e)
	}
	return out
}

// waivers are the config's waivers as audit records: how many findings
// each covers (counted the way the run applied them), the days left, and
// whether it is active, expiring within warnDays, expired or stale.
func waivers(cfg *config.Config, findings []report.Finding, asOf time.Time, warnDays int) []evidence.Waiver {
	out := []evidence.Waiver{}
	if cfg == nil || len(cfg.Waivers) == 0 {
		return out
	}
	// ApplyWaivers marks what it covers: let it mark a copy.
	status := policy.ApplyWaivers(slices.Clone(findings), cfg.Waivers, asOf)
	day := asOf.UTC().Truncate(24 * time.Hour)
	for i, w := range cfg.Waivers {
		st := status[i]
		e := evidence.Waiver{Name: w.Name, Rule: w.Rule, Resources: st.Resources, Owner: w.Owner, Reason: w.Reason,
			Ticket: w.Ticket, ApprovedBy: w.ApprovedBy, MissingTicket: cfg.RequireTicket && (w.Ticket == "" || w.ApprovedBy == ""),
			Expires: w.ExpiresText, DaysLeft: int(w.Expires.Sub(day).Hours() / 24), Matched: st.Matched,
			File: w.Range.Filename, Line: w.Range.Start.Line}
		if len(e.Resources) == 0 {
			e.Resources = nil
		}
		switch {
		case st.Expired:
			e.State = evidence.WaiverExpired
		case st.Matched == 0:
			e.State = evidence.WaiverStale
		case e.DaysLeft <= warnDays:
			e.State = evidence.WaiverExpiring
		default:
			e.State = evidence.WaiverActive
		}
		out = append(out, e)
	}
	return out
}
