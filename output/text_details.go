package output

import (
	"encoding/json"
	"fmt"
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
			items = append(items, "- "+a.Path+": "+textAttributeValues(a, envs))
		}
	case len(f.Details.References) > 1:
		for _, r := range f.Details.References[1:] {
			items = append(items, fmt.Sprintf("- %s's %s is %q, the %s of %s's %s", r.Env, r.Path, report.Shorten(r.Value, report.MaxTextBytes), r.Owner.Attribute, r.Owner.Env, r.Owner.Address))
		}
	}
	if shown := MaxTextAttributes - 1; len(items) > shown {
		more := len(items) - shown
		items = append(items[:shown], fmt.Sprintf("- and %d more: --format json or --format markdown lists them all", more))
	}
	return items
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

// relatedLines names the findings this one supersedes (details.related),
// so a reader of the text sees what a waiver of this finding also covers.
func relatedLines(f report.Finding) []string {
	var out []string
	for _, r := range f.Details.Related {
		out = append(out, "- also "+r.Rule+": "+report.Shorten(r.Message, maxCell))
	}
	return out
}
