package config

import (
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// scopeRefs remembers where each environment name of a scope was written,
// so that names can be checked once every environment block is known,
// wherever in the file it is declared.
type scopeRefs struct {
	names  []string
	ranges []hcl.Range
}

// decodeScope reads the optional environments argument of an
// expect_difference block. An empty list is an error rather than "no
// environment": a scope that names nobody would declare nothing, and
// leaving it out already means every environment.
func (d *decoder) decodeScope(content *hcl.BodyContent) scopeRefs {
	attr, has := content.Attributes["environments"]
	if !has {
		return scopeRefs{}
	}
	list, ranges, ok := d.stringList(attr)
	if !ok {
		return scopeRefs{}
	}
	if len(list) == 0 {
		d.errorf(attr.Expr.Range(), "Empty environment list",
			"environments must name at least one environment; leave the argument out to declare the difference for every environment.")
		return scopeRefs{}
	}
	for i, name := range list {
		if strings.TrimSpace(name) == "" {
			d.errorf(ranges[i], "Invalid environment name", "An environment name in environments must not be empty.")
			return scopeRefs{}
		}
	}
	return scopeRefs{names: list, ranges: ranges}
}

// resolveScope replaces aliases in a scope by the canonical names and
// reports names that are not declared environments, or named twice. With
// no environment blocks, names stay as written: CheckScopes compares them
// with the environments of the run.
func (d *decoder) resolveScope(envs []Environment, names map[string]envEntry, refs scopeRefs) ([]string, []hcl.Range) {
	if refs.names == nil {
		return nil, nil
	}
	out := make([]string, 0, len(refs.names))
	outRanges := make([]hcl.Range, 0, len(refs.names))
	seen := make(map[string]hcl.Range, len(refs.names))
	for i, name := range refs.names {
		canon := name
		if len(names) > 0 {
			e, ok := names[name]
			if !ok {
				d.errorf(refs.ranges[i], "Undeclared environment",
					"environments names %q, which is not a declared environment.%s",
					name, didYouMean(name, envNames(names)))
				continue
			}
			canon = envs[e.env].Name
		}
		if prev, dup := seen[canon]; dup {
			d.errorf(refs.ranges[i], "Duplicate environment",
				"%q is already listed in environments (line %d, column %d).", canon, prev.Start.Line, prev.Start.Column)
			continue
		}
		seen[canon] = refs.ranges[i]
		out = append(out, canon)
		outRanges = append(outRanges, refs.ranges[i])
	}
	return out, outRanges
}

// CheckScopes reports the environments of expect_difference scopes that
// are not among envs, the environments of this run (names and aliases),
// when the file declares no environment blocks to check them against: a
// misspelt name would otherwise scope the declaration to nobody and
// silently declare nothing. With environment blocks, Parse has already
// checked every name, and a declared environment left out of this run is
// not a mistake. The error is an *Error, one diagnostic per unknown name.
func (c *Config) CheckScopes(envs []string) error {
	if c == nil || len(c.Environments) > 0 {
		return nil
	}
	var diags hcl.Diagnostics
	for _, ed := range c.ExpectDifferences {
		for i, name := range ed.Environments {
			if slices.Contains(envs, name) {
				continue
			}
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Unknown environment",
				Detail: fmt.Sprintf("expect_difference %q lists %q in environments, which is not one of this run's environments.%s",
					ed.Name, name, didYouMean(name, envs)),
				Subject: ed.environmentRanges[i].Ptr(),
			})
		}
	}
	if len(diags) == 0 {
		return nil
	}
	return newError(c.Filename, diags, nil)
}
