package config

import (
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/lockstep-iac/lockstep/report"
)

func (d *decoder) label(blk *hcl.Block, what string) (string, bool) {
	if len(blk.Labels) == 0 || len(blk.LabelRanges) == 0 {
		return "", false // HCL has already reported the missing label
	}
	if strings.TrimSpace(blk.Labels[0]) == "" {
		d.errorf(blk.LabelRanges[0], "Invalid "+what,
			"The label giving the %s must not be empty.", what)
		return "", false
	}
	return blk.Labels[0], true
}

func (d *decoder) decodeEnvironment(blk *hcl.Block, filename string) (Environment, bool) {
	content, diags := blk.Body.Content(environmentSchema)
	d.diags = append(d.diags, diags...)
	name, ok := d.label(blk, "environment name")
	env := Environment{Name: name, Range: blk.DefRange}
	if attr, has := content.Attributes["aliases"]; has {
		list, ranges, listOK := d.stringList(attr)
		for i, a := range list {
			if strings.TrimSpace(a) == "" {
				d.errorf(ranges[i], "Invalid alias", "An environment alias must not be empty.")
				listOK = false
			}
		}
		if listOK && len(list) > 0 {
			env.Aliases = list
		}
	}
	if attr, has := content.Attributes["lockfile"]; has {
		if path, rng, valid := d.nonEmpty(attr, "it names the environment's Terraform dependency lock file; remove the argument if there is none"); valid {
			env.Lockfile, env.LockfileRange = resolvePath(filename, path), rng
		}
	}
	if attr, has := content.Attributes["source"]; has {
		if path, rng, valid := d.nonEmpty(attr, "it names the directory of the environment's Terraform configuration; remove the argument if there is none"); valid {
			env.Source, env.SourceRange = resolvePath(filename, path), rng
		}
	}
	d.decodeLive(&env, content, filename)
	d.decodeHCPWorkspace(&env, content)
	return env, ok
}

func (d *decoder) decodeExpectDifference(blk *hcl.Block) (ExpectDifference, scopeRefs, bool) {
	content, diags := blk.Body.Content(expectDifferenceSchema)
	d.diags = append(d.diags, diags...)
	name, ok := d.label(blk, "name")
	ed := ExpectDifference{Name: name, Range: blk.DefRange}
	ed.Resources = d.addressPatterns(blk, content, true)
	if attr := d.required(blk, content, "attributes", "it says which attributes are meant to differ"); attr != nil {
		list, ranges, listOK := d.stringList(attr)
		if listOK && len(list) == 0 {
			d.errorf(attr.Expr.Range(), "Empty attribute list",
				`attributes must list at least one attribute path; use ["*"] to cover every attribute.`)
		}
		for i, s := range list {
			p, err := ParsePathPattern(s)
			if err != nil {
				d.errorf(ranges[i], "Invalid attribute path pattern", "%s", err)
				continue
			}
			ed.Attributes = append(ed.Attributes, p)
		}
	}
	scope := d.decodeScope(content)
	ed.Reason, _, _ = d.nonEmptyString(blk, content, "reason", "it tells future readers why the difference is intended")
	return ed, scope, ok
}

func (d *decoder) decodeOnlyIn(blk *hcl.Block) (OnlyIn, bool) {
	content, diags := blk.Body.Content(onlyInSchema)
	d.diags = append(d.diags, diags...)
	name, ok := d.label(blk, "environment name")
	oi := OnlyIn{Environment: name, Range: blk.DefRange}
	oi.Resources = d.addressPatterns(blk, content, true)
	oi.Reason, _, _ = d.nonEmptyString(blk, content, "reason", "it tells future readers why the resources exist in one environment only")
	return oi, ok
}

func (d *decoder) decodeWaiver(blk *hcl.Block) (Waiver, bool) {
	content, diags := blk.Body.Content(waiverSchema)
	d.diags = append(d.diags, diags...)
	name, ok := d.label(blk, "name")
	w := Waiver{Name: name, Range: blk.DefRange}

	if rule, rng, has := d.nonEmptyString(blk, content, "rule", "it says which findings the waiver suppresses"); has {
		w.Rule, w.RuleRange = rule, rng
		if d.opts.KnownRules != nil && !slices.Contains(d.opts.KnownRules, rule) {
			d.errorf(rng, "Unknown rule", "There is no rule %q.%s", rule, didYouMean(rule, d.opts.KnownRules))
		}
	}
	w.Resources = d.addressPatterns(blk, content, false)
	w.Reason, _, _ = d.nonEmptyString(blk, content, "reason", "it tells reviewers why the finding is acceptable for now")
	w.Owner, _, _ = d.nonEmptyString(blk, content, "owner", "someone must be answerable for lifting the waiver")
	if text, rng, has := d.nonEmptyString(blk, content, "expires", "waivers must not last forever"); has {
		t, err := time.ParseInLocation(dateLayout, text, time.UTC)
		if err != nil {
			d.errorf(rng, "Invalid expiry date",
				"%q is not a valid date; write it as YYYY-MM-DD, for example \"2027-01-31\".", text)
		} else {
			w.Expires, w.ExpiresText = t, text
		}
	}
	// Optional audit fields: absent is fine (require_ticket says whether
	// the report flags it), blank is a mistake.
	if attr, has := content.Attributes["ticket"]; has {
		w.Ticket, _, _ = d.nonEmpty(attr, "it names the change or risk ticket that approved the waiver")
	}
	if attr, has := content.Attributes["approved_by"]; has {
		w.ApprovedBy, _, _ = d.nonEmpty(attr, "it names who approved the waiver")
	}
	return w, ok
}

func (d *decoder) decodeRule(blk *hcl.Block) (RuleSetting, bool) {
	content, diags := blk.Body.Content(ruleSchema)
	d.diags = append(d.diags, diags...)
	id, ok := d.label(blk, "id")
	r := RuleSetting{ID: id, Range: blk.DefRange}
	if ok && d.opts.AllRules != nil && !slices.Contains(d.opts.AllRules, id) {
		d.errorf(blk.LabelRanges[0], "Unknown rule", "There is no rule %q; the settings would apply to nothing.%s", id, didYouMean(id, d.opts.AllRules))
	}
	if content == nil {
		return r, false
	}
	if attr, has := content.Attributes["enabled"]; has {
		if enabled, ok := d.bool(attr); ok {
			r.Enabled = &enabled
		}
	}
	if attr, has := content.Attributes["severity"]; has {
		if s, ok := d.string(attr); ok {
			if sev, err := report.ParseSeverity(s); err != nil {
				d.errorf(attr.Expr.Range(), "Invalid severity", "severity must be \"error\" or \"warning\", not %q.", s)
			} else {
				r.Severity = sev
			}
		}
	}
	if len(content.Attributes) == 0 {
		d.errorf(blk.DefRange, "Empty rule block", "A rule block sets enabled = false or severity = \"error\" or \"warning\"; this one sets nothing.")
	}
	return r, ok
}
