package output

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/lockstep-iac/lockstep/report"
)

// moreLines lists what a finding's message sums up as "(and N more
// attributes)": every differing attribute, or every reference, after the
// first (which the message names), up to MaxTextAttributes in all.
func moreLines(f report.Finding, envs []string) []string {
	var items []string
	switch {
	case len(f.Details.Attributes) > 1:
		for _, a := range f.Details.Attributes[1:] {
			text := textLacks(a.References, envs)
			if text == "" {
				text = textAttributeValues(a, envs)
			}
			items = append(items, "- "+a.Path+": "+text)
		}
	case len(f.Details.References) > 1:
		for _, r := range f.Details.References[1:] {
			items = append(items, "- "+textReference(r))
		}
	}
	if shown := MaxTextAttributes - 1; len(items) > shown {
		more := len(items) - shown
		items = append(items[:shown], fmt.Sprintf("- and %d more: --format json or --format markdown lists them all", more))
	}
	return items
}

// textReference words a reference as cross-env-reference's message does.
func textReference(r report.Reference) string {
	value := report.Shorten(r.Value, report.MaxTextBytes)
	switch {
	case r.Token != "":
		if value != report.SensitiveText {
			value = fmt.Sprintf("%q", value)
		}
		if r.Planned {
			return fmt.Sprintf("%s's plan sets %s to %s, which names %s (token %q)", r.Env, r.Path, value, r.Owner.Env, r.Token)
		}
		return fmt.Sprintf("%s's %s %s names %s (token %q)", r.Env, r.Path, value, r.Owner.Env, r.Token)
	case r.Embedded && r.Planned:
		return fmt.Sprintf("%s's plan sets %s to a value embedding %q, the %s of %s's %s", r.Env, r.Path, value, r.Owner.Attribute, r.Owner.Env, r.Owner.Address)
	case r.Embedded:
		return fmt.Sprintf("%s's %s embeds %q, the %s of %s's %s", r.Env, r.Path, value, r.Owner.Attribute, r.Owner.Env, r.Owner.Address)
	}
	return fmt.Sprintf("%s's %s is %q, the %s of %s's %s", r.Env, r.Path, value, r.Owner.Attribute, r.Owner.Env, r.Owner.Address)
}

// textLacks words what each environment's set of references lacks of the
// others', as attribute-divergence's message does (lib.lacks_text): "" when
// the attribute is no set of references or nothing is lacking.
func textLacks(sets map[string][]string, envs []string) string {
	var parts []string
	for _, env := range envs {
		own, ok := sets[env]
		if !ok {
			continue
		}
		var missing []string
		for _, other := range envs {
			if other == env {
				continue
			}
			for _, a := range sets[other] {
				if !slices.Contains(own, a) && !slices.Contains(missing, a) {
					missing = append(missing, a)
				}
			}
		}
		if len(missing) == 0 {
			continue
		}
		slices.Sort(missing)
		if len(missing) == 1 {
			parts = append(parts, env+" lacks the reference to "+missing[0])
		} else {
			parts = append(parts, env+" lacks the references to "+strings.Join(missing, ", "))
		}
	}
	return strings.Join(parts, "; ")
}

// textAttributeValues is "staging 15.4, production 14.9" in environment
// order, "before → after" where a plan changes a value.
func textAttributeValues(a report.AttributeDetail, envs []string) string {
	var parts []string
	for _, env := range envs {
		after, hasAfter := a.Values[env]
		before, hasBefore := a.Before[env]
		var v string
		switch {
		case hasAfter && hasBefore && (textValue(before) != textValue(after) || textValue(after) == report.SensitiveText):
			v = textValue(before) + " → " + textValue(after)
		case hasAfter:
			v = textValue(after)
		case hasBefore:
			v = textValue(before)
		default:
			continue
		}
		parts = append(parts, env+" "+v)
	}
	return strings.Join(parts, ", ")
}

// textValue shows a value as the rules' messages do: a string as it is
// (shortened), anything else as JSON.
func textValue(v any) string {
	if s, ok := v.(string); ok {
		if s == "" {
			return `""`
		}
		return report.Shorten(s, report.MaxTextBytes)
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return report.Shorten(string(b), report.MaxTextBytes)
}

// relatedText says, in one line of plain text, that finding r was folded
// into the finding shown (details.related): the formats that cannot nest
// it (JUnit, SARIF, GitHub annotations) add it to the finding's own text.
func relatedText(r report.Related) string {
	return fmt.Sprintf("also %s (%s, folded into this finding): %s", r.Rule, r.Severity, report.Shorten(r.Message, maxCell))
}

// relatedLines names the findings this one supersedes (details.related),
// so a reader of the text sees what a waiver of this finding also covers.
func relatedLines(f report.Finding) []string {
	var out []string
	for _, r := range f.Details.Related {
		out = append(out, "- also "+r.Rule+": "+report.Shorten(r.Message, maxCell))
	}
	return out
}
