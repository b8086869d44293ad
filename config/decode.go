package config

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
)

// The schemas declare no required attributes: required arguments are
// checked by hand so the diagnostic can point at the block header and say
// why the argument matters, which HCL's generic message cannot.
var (
	rootSchema = &hcl.BodySchema{
		Attributes: []hcl.AttributeSchema{{Name: "promotion"}, {Name: "require_ticket"}},
		Blocks: []hcl.BlockHeaderSchema{
			{Type: "environment", LabelNames: []string{"name"}},
			{Type: "expect_difference", LabelNames: []string{"name"}},
			{Type: "only_in", LabelNames: []string{"environment"}},
			{Type: "waiver", LabelNames: []string{"name"}},
			{Type: "rule", LabelNames: []string{"id"}},
			{Type: "stack", LabelNames: []string{"name"}},
			{Type: "stacks"},
			{Type: "env_policy"},
		},
	}
	ruleSchema = &hcl.BodySchema{
		Attributes: []hcl.AttributeSchema{{Name: "enabled"}, {Name: "severity"}},
	}
	environmentSchema = &hcl.BodySchema{
		Attributes: append([]hcl.AttributeSchema{{Name: "aliases"}, {Name: "lockfile"}, {Name: "source"}, {Name: "hcp_workspace"}}, liveAttributes...),
	}
	expectDifferenceSchema = &hcl.BodySchema{
		Attributes: []hcl.AttributeSchema{{Name: "resources"}, {Name: "attributes"}, {Name: "environments"}, {Name: "reason"}},
	}
	onlyInSchema = &hcl.BodySchema{
		Attributes: []hcl.AttributeSchema{{Name: "resources"}, {Name: "reason"}},
	}
	waiverSchema = &hcl.BodySchema{
		Attributes: []hcl.AttributeSchema{
			{Name: "rule"}, {Name: "resources"}, {Name: "reason"}, {Name: "owner"}, {Name: "expires"},
			{Name: "ticket"}, {Name: "approved_by"},
		},
	}
)

const dateLayout = "2006-01-02"

type decoder struct {
	diags hcl.Diagnostics
	opts  Options
}

func (d *decoder) errorf(rng hcl.Range, summary, format string, args ...any) {
	d.diags = append(d.diags, &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  summary,
		Detail:   fmt.Sprintf(format, args...),
		Subject:  rng.Ptr(),
	})
}

// envEntry is a name or alias and the environment it resolves to.
type envEntry struct {
	env   int // index into Config.Environments
	alias bool
	rng   hcl.Range
}

func (d *decoder) decodeFile(body hcl.Body, filename string) *Config {
	cfg := &Config{Filename: filename}
	content, diags := body.Content(rootSchema)
	d.diags = append(d.diags, diags...)
	if content == nil {
		return cfg
	}

	// onlyInLabels remembers where each only_in label was written so it can
	// be checked once every environment is known, wherever declared.
	var onlyInLabels []hcl.Range
	var scopes []scopeRefs // one per cfg.ExpectDifferences
	for _, blk := range content.Blocks {
		switch blk.Type {
		case "environment":
			if env, ok := d.decodeEnvironment(blk, filename); ok {
				cfg.Environments = append(cfg.Environments, env)
			}
		case "expect_difference":
			if ed, scope, ok := d.decodeExpectDifference(blk); ok {
				cfg.ExpectDifferences = append(cfg.ExpectDifferences, ed)
				scopes = append(scopes, scope)
			}
		case "only_in":
			if oi, ok := d.decodeOnlyIn(blk); ok {
				cfg.OnlyIn = append(cfg.OnlyIn, oi)
				onlyInLabels = append(onlyInLabels, blk.LabelRanges[0])
			}
		case "waiver":
			if w, ok := d.decodeWaiver(blk); ok {
				cfg.Waivers = append(cfg.Waivers, w)
			}
		case "rule":
			if r, ok := d.decodeRule(blk); ok {
				cfg.Rules = append(cfg.Rules, r)
			}
		case "stack":
			if st, ok := d.decodeStack(blk, filename); ok {
				cfg.Stacks = append(cfg.Stacks, st)
			}
		case "stacks":
			cfg.StackPatterns = append(cfg.StackPatterns, d.decodeStacks(blk, filename)...)
		case "env_policy":
			cfg.EnvPolicy = d.decodeEnvPolicy(blk, filename, cfg.EnvPolicy)
		}
	}

	names := d.checkEnvironments(cfg.Environments)
	d.checkUnique("expect_difference", len(cfg.ExpectDifferences), func(i int) (string, hcl.Range) {
		return cfg.ExpectDifferences[i].Name, cfg.ExpectDifferences[i].Range
	})
	d.checkUnique("waiver", len(cfg.Waivers), func(i int) (string, hcl.Range) {
		return cfg.Waivers[i].Name, cfg.Waivers[i].Range
	})
	d.checkUnique("rule", len(cfg.Rules), func(i int) (string, hcl.Range) {
		return cfg.Rules[i].ID, cfg.Rules[i].Range
	})
	d.checkUnique("stack", len(cfg.Stacks), func(i int) (string, hcl.Range) {
		return cfg.Stacks[i].Name, cfg.Stacks[i].Range
	})

	if attr, ok := content.Attributes["promotion"]; ok {
		cfg.PromotionRange = attr.Range
		cfg.Promotion = d.decodePromotion(attr, cfg.Environments, names)
	}
	if attr, ok := content.Attributes["require_ticket"]; ok {
		cfg.RequireTicket, _ = d.bool(attr)
	}
	for i := range cfg.ExpectDifferences {
		ed := &cfg.ExpectDifferences[i]
		ed.Environments, ed.environmentRanges = d.resolveScope(cfg.Environments, names, scopes[i])
	}
	for i := range cfg.OnlyIn {
		oi := &cfg.OnlyIn[i]
		if len(names) == 0 {
			continue
		}
		e, ok := names[oi.Environment]
		if !ok {
			d.errorf(onlyInLabels[i], "Undeclared environment",
				"only_in names %q, which is not a declared environment.%s",
				oi.Environment, didYouMean(oi.Environment, envNames(names)))
			continue
		}
		oi.Environment = cfg.Environments[e.env].Name
	}
	return cfg
}

// checkEnvironments rejects duplicate names and ambiguous aliases and
// returns the lookup table from every name and alias to its environment.
func (d *decoder) checkEnvironments(envs []Environment) map[string]envEntry {
	names := make(map[string]envEntry)
	for i, env := range envs {
		if prev, ok := names[env.Name]; ok {
			d.errorf(env.Range, "Duplicate environment",
				"An environment named %q was already declared on line %d.", env.Name, prev.rng.Start.Line)
			continue
		}
		names[env.Name] = envEntry{env: i, rng: env.Range}
	}
	for i, env := range envs {
		if names[env.Name].env != i {
			continue // a duplicate, already reported
		}
		for _, a := range env.Aliases {
			prev, ok := names[a]
			switch {
			case !ok:
				names[a] = envEntry{env: i, alias: true, rng: env.Range}
			case prev.env == i:
				// Repeating its own name or alias is harmless.
			case prev.alias:
				d.errorf(env.Range, "Ambiguous alias",
					"The alias %q is also used by environment %q (line %d); an alias must identify one environment.",
					a, envs[prev.env].Name, prev.rng.Start.Line)
			default:
				d.errorf(env.Range, "Ambiguous alias",
					"The alias %q is the name of environment %q (line %d); an alias must identify one environment.",
					a, envs[prev.env].Name, prev.rng.Start.Line)
			}
		}
	}
	return names
}

func (d *decoder) checkUnique(kind string, n int, at func(int) (string, hcl.Range)) {
	seen := make(map[string]hcl.Range, n)
	for i := 0; i < n; i++ {
		name, rng := at(i)
		if prev, ok := seen[name]; ok {
			d.errorf(rng, fmt.Sprintf("Duplicate %s", kind),
				"A %s block named %q was already declared on line %d; names must be unique so findings can refer to them.",
				kind, name, prev.Start.Line)
			continue
		}
		seen[name] = rng
	}
}

func (d *decoder) decodePromotion(attr *hcl.Attribute, envs []Environment, names map[string]envEntry) []string {
	list, ranges, ok := d.stringList(attr)
	if !ok {
		return nil
	}
	if len(list) == 0 {
		d.errorf(attr.Expr.Range(), "Empty promotion",
			"promotion must name at least one environment; remove it to use the order of the --env flags.")
		return nil
	}
	out := make([]string, 0, len(list))
	seen := make(map[string]hcl.Range)
	for i, name := range list {
		canon := name
		if len(names) > 0 {
			e, ok := names[name]
			if !ok {
				d.errorf(ranges[i], "Undeclared environment in promotion",
					"%q is not a declared environment.%s", name, didYouMean(name, envNames(names)))
				continue
			}
			canon = envs[e.env].Name
		}
		if prev, dup := seen[canon]; dup {
			d.errorf(ranges[i], "Duplicate environment in promotion",
				"%q already appears earlier in promotion (line %d, column %d); each environment has one place in the order.",
				canon, prev.Start.Line, prev.Start.Column)
			continue
		}
		seen[canon] = ranges[i]
		out = append(out, canon)
	}
	return out
}
