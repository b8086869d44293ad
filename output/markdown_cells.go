package output

// The Markdown format's cells and entries: what one finding shows in its
// rule's table and in the details list below it.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/lockstep-iac/lockstep/report"
)

func mdRuleCell(f report.Finding) string {
	switch {
	case f.Waived:
		return "~~" + mdText(f.Rule) + "~~ (waived)"
	case f.Severity == report.SeverityError:
		return "❌ " + mdText(f.Rule)
	case f.Severity == report.SeverityWarning:
		return "⚠️ " + mdText(f.Rule)
	}
	return mdText(f.Rule)
}

// mdResourceCell is the address and where the finding is in each
// environment's sources, as file:line text: GitHub does not resolve relative
// links in comments reliably.
func mdResourceCell(f report.Finding) string {
	var parts []string
	if f.Address != "" {
		parts = append(parts, mdCode(clipRunes(f.Address, mdAddressCap)))
	}
	parts = append(parts, mdLocations(f)...)
	if len(parts) == 0 {
		return "(environment)"
	}
	return strings.Join(parts, "<br>")
}

func mdLocations(f report.Finding) []string {
	var out []string
	for _, l := range f.Positions() {
		s := mdCode(fmt.Sprintf("%s:%d", l.File, l.Line))
		if len(l.Environments) > 0 {
			s = mdText(strings.Join(l.Environments, ", ")) + ": " + s
		}
		out = append(out, s)
	}
	return out
}

// mdFindingCells is the Attribute cell and one cell per environment, for
// each row of a finding: what the finding's details hold decides the shape.
func mdFindingCells(f report.Finding, envs []string) [][]string {
	d := f.Details
	var rows [][]string
	row := func(attr string, cell func(env string) string) {
		cells := []string{attr}
		for _, e := range envs {
			cells = append(cells, cell(e))
		}
		rows = append(rows, cells)
	}
	switch {
	case len(d.Attributes) > 0:
		for _, a := range d.Attributes {
			row(mdCode(clipRunes(a.Path, mdAddressCap)), func(env string) string { return mdAttributeValue(a, env) })
		}
	case len(d.References) > 0:
		for _, ref := range d.References {
			row(mdCode(clipRunes(ref.Path, mdAddressCap)), func(env string) string {
				switch env {
				case ref.Env:
					s := mdValue(ref.Value)
					if ref.Planned {
						s += " (planned)"
					}
					return s
				case ref.Owner.Env:
					if ref.Token != "" {
						return "named (token " + mdCode(ref.Token) + ")"
					}
					return mdCode(clipRunes(ref.Owner.Address, mdAddressCap)) + " (" + mdText(ref.Owner.Attribute) + ")"
				}
				return "—"
			})
		}
	case d.Version != nil:
		v := d.Version
		attr := mdText(v.Kind)
		if v.Name != v.Kind {
			attr += " " + mdCode(clipRunes(v.Name, mdAddressCap))
		}
		row(attr, func(env string) string {
			if val, ok := v.Values[env]; ok {
				return mdValue(val)
			}
			if slices.Contains(v.Missing, env) {
				return "**missing**"
			}
			return "—"
		})
	case len(d.Actions) > 0 || len(d.Present) > 0 || len(d.Missing) > 0:
		attr := "(resource)"
		if len(d.Actions) > 0 {
			attr = "(planned actions)"
		}
		row(attr, func(env string) string {
			if acts := d.Actions[env]; len(acts) > 0 {
				return mdActions(acts)
			}
			switch {
			case slices.Contains(d.Missing, env):
				return "**missing**"
			case slices.Contains(d.Present, env):
				return "present"
			}
			return "—"
		})
	default:
		// expired-waiver and user findings without details: the message,
		// in the widest free-text column (a table cannot span columns).
		row(mdText(clipRunes(f.Message, mdMessageCap)), func(string) string { return "" })
	}
	return rows
}

func mdActions(acts []string) string {
	if len(acts) == 1 && acts[0] == "no-op" {
		return "no change"
	}
	return mdText(strings.Join(acts, ", "))
}

// mdAttributeValue shows an environment's value, "before → after" when a
// plan changes it, and "→ after" when only the planned value is known.
func mdAttributeValue(a report.AttributeDetail, env string) string {
	after, hasAfter := a.Values[env]
	before, hasBefore := a.Before[env]
	switch {
	case hasAfter && hasBefore:
		b, v := mdValue(before), mdValue(after)
		// A sensitive value shows as "(sensitive)" on both sides even when
		// it changed, so it keeps its arrow.
		if b == v && b != report.SensitiveText {
			return v
		}
		return b + " → " + v
	case hasAfter && a.Before != nil:
		return "→ " + mdValue(after)
	case hasAfter:
		return mdValue(after)
	case hasBefore:
		return mdValue(before)
	}
	return "—"
}

// mdValue renders a value compactly: strings as code, other values as JSON
// code, the redaction marker as plain text.
func mdValue(v any) string {
	if s, ok := v.(string); ok {
		switch s {
		case report.SensitiveText:
			return report.SensitiveText
		case "":
			return mdCode(`""`)
		}
		return mdCode(clipRunes(s, mdValueCap))
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return mdText(fmt.Sprint(v))
	}
	return mdCode(clipRunes(strings.TrimSuffix(buf.String(), "\n"), mdValueCap))
}

// mdEntry is one finding's list item in its rule's details block: the full
// message and everything the table has no room for.
func mdEntry(f report.Finding, envs []string) string {
	var b strings.Builder
	locs := mdLocations(f)
	// The label is the address; a finding without one (a waiver in
	// lockstep.hcl) is labelled by its location, else by "(environment)".
	label := "(environment)"
	switch {
	case f.Address != "":
		label = mdCode(clipRunes(f.Address, mdAddressCap))
	case len(locs) == 1:
		label, locs = locs[0], nil
	}
	facts := mdText(string(f.Severity))
	if f.Waived {
		facts += ", waived"
	}
	if len(f.Environments) > 0 {
		facts += "; " + mdText(strings.Join(f.Environments, ", "))
	}
	fmt.Fprintf(&b, "- %s (%s): %s\n", label, facts, mdText(clipRunes(f.Message, mdDetailCap)))
	sub := func(format string, args ...any) { fmt.Fprintf(&b, "  - "+format+"\n", args...) }

	if len(locs) > 0 {
		sub("Location: %s", strings.Join(locs, "; "))
	}
	if w := f.Waiver; w != nil {
		sub("Waived by %s (owner %s, expires %s): %s", mdCode(w.Name), mdCode(w.Owner), mdText(w.Expires), mdText(clipRunes(w.Reason, mdDetailCap)))
	}
	d := f.Details
	if w := d.Waiver; w != nil {
		state := "expires"
		if w.Expired {
			state = "expired"
		}
		var res []string
		for _, r := range w.Resources {
			res = append(res, mdCode(clipRunes(r, mdAddressCap)))
		}
		line := fmt.Sprintf("Waiver %s: rule %s", mdCode(w.Name), mdCode(w.Rule))
		if len(res) > 0 {
			line += ", resources " + strings.Join(res, ", ")
		}
		line += fmt.Sprintf("; owner %s; %s %s; matched %s; reason: %s",
			mdCode(w.Owner), state, mdText(w.Expires), plural(w.Matched, "finding"), mdText(clipRunes(w.Reason, mdDetailCap)))
		sub("%s", line)
	}
	for _, r := range d.Related {
		sub("Also %s (%s, folded into this finding): %s", mdCode(r.Rule), mdText(string(r.Severity)), mdText(clipRunes(r.Message, mdDetailCap)))
	}
	for _, ref := range d.References {
		planned := ""
		if ref.Planned {
			planned = " (planned)"
		}
		switch {
		case ref.Token != "":
			sub("Reference: %s's %s = %s%s names %s (token %s)", mdText(ref.Env), mdCode(ref.Path), mdValue(ref.Value), planned,
				mdText(ref.Owner.Env), mdCode(ref.Token))
		case ref.Embedded:
			sub("Reference: %s's %s%s embeds %s, the %s of %s's %s", mdText(ref.Env), mdCode(ref.Path), planned, mdValue(ref.Value),
				mdCode(ref.Owner.Attribute), mdText(ref.Owner.Env), mdCode(ref.Owner.Address))
		default:
			sub("Reference: %s's %s = %s%s is the %s of %s's %s", mdText(ref.Env), mdCode(ref.Path), mdValue(ref.Value), planned,
				mdCode(ref.Owner.Attribute), mdText(ref.Owner.Env), mdCode(ref.Owner.Address))
		}
	}
	if v := d.Version; v != nil {
		line := fmt.Sprintf("Version: %s %s: %s", mdText(v.Kind), mdCode(v.Name), mdEnvMap(v.Values, envs))
		if len(v.Missing) > 0 {
			line += "; missing in " + mdText(strings.Join(v.Missing, ", "))
		}
		if len(v.Sources) > 0 {
			line += "; lock files: " + mdEnvMap(v.Sources, envs)
		}
		sub("%s", line)
	}
	if differ := func() bool {
		for _, a := range d.Addresses {
			if a != f.Address {
				return true
			}
		}
		return false
	}(); differ {
		sub("Addresses: %s", mdEnvMap(d.Addresses, envs))
	}
	if len(d.Extra) > 0 {
		var raw bytes.Buffer
		enc := json.NewEncoder(&raw)
		enc.SetEscapeHTML(false) // mdCode escapes; \u003c would only hide the text
		if err := enc.Encode(d.Extra); err == nil {
			sub("Extra: %s", mdCode(clipRunes(strings.TrimSuffix(raw.String(), "\n"), mdDetailCap)))
		}
	}
	return b.String()
}

// mdEnvMap renders an environment → string map in the report's
// environment order, any other keys after them sorted.
func mdEnvMap(m map[string]string, envs []string) string {
	var keys, rest []string
	for _, e := range envs {
		if _, ok := m[e]; ok {
			keys = append(keys, e)
		}
	}
	for k := range m {
		if !slices.Contains(envs, k) {
			rest = append(rest, k)
		}
	}
	sort.Strings(rest)
	var parts []string
	for _, k := range append(keys, rest...) {
		parts = append(parts, mdText(k)+" "+mdCode(clipRunes(m[k], mdAddressCap)))
	}
	return strings.Join(parts, ", ")
}
