package config

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/lockstep-iac/lockstep/report"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

// The schemas declare no required attributes: required arguments are
// checked by hand so the diagnostic can point at the block header and say
// why the argument matters, which HCL's generic message cannot.
var (
	rootSchema = &hcl.BodySchema{
		Attributes: []hcl.AttributeSchema{{Name: "promotion"}},
		Blocks: []hcl.BlockHeaderSchema{
			{Type: "environment", LabelNames: []string{"name"}},
			{Type: "expect_difference", LabelNames: []string{"name"}},
			{Type: "only_in", LabelNames: []string{"environment"}},
			{Type: "waiver", LabelNames: []string{"name"}},
			{Type: "rule", LabelNames: []string{"id"}},
		},
	}
	ruleSchema = &hcl.BodySchema{
		Attributes: []hcl.AttributeSchema{{Name: "enabled"}, {Name: "severity"}},
	}
	environmentSchema = &hcl.BodySchema{
		Attributes: []hcl.AttributeSchema{{Name: "aliases"}, {Name: "lockfile"}, {Name: "source"}},
	}
	expectDifferenceSchema = &hcl.BodySchema{
		Attributes: []hcl.AttributeSchema{{Name: "resources"}, {Name: "attributes"}, {Name: "reason"}},
	}
	onlyInSchema = &hcl.BodySchema{
		Attributes: []hcl.AttributeSchema{{Name: "resources"}, {Name: "reason"}},
	}
	waiverSchema = &hcl.BodySchema{
		Attributes: []hcl.AttributeSchema{
			{Name: "rule"}, {Name: "resources"}, {Name: "reason"}, {Name: "owner"}, {Name: "expires"},
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
	for _, blk := range content.Blocks {
		switch blk.Type {
		case "environment":
			if env, ok := d.decodeEnvironment(blk, filename); ok {
				cfg.Environments = append(cfg.Environments, env)
			}
		case "expect_difference":
			if ed, ok := d.decodeExpectDifference(blk); ok {
				cfg.ExpectDifferences = append(cfg.ExpectDifferences, ed)
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

	if attr, ok := content.Attributes["promotion"]; ok {
		cfg.PromotionRange = attr.Range
		cfg.Promotion = d.decodePromotion(attr, cfg.Environments, names)
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
	return env, ok
}

func (d *decoder) decodeExpectDifference(blk *hcl.Block) (ExpectDifference, bool) {
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
	ed.Reason, _, _ = d.nonEmptyString(blk, content, "reason", "it tells future readers why the difference is intended")
	return ed, ok
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
		if d.opts.KnownRules != nil && !contains(d.opts.KnownRules, rule) {
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
	return w, ok
}

func (d *decoder) decodeRule(blk *hcl.Block) (RuleSetting, bool) {
	content, diags := blk.Body.Content(ruleSchema)
	d.diags = append(d.diags, diags...)
	id, ok := d.label(blk, "id")
	r := RuleSetting{ID: id, Range: blk.DefRange}
	if ok && d.opts.AllRules != nil && !contains(d.opts.AllRules, id) {
		d.errorf(blk.LabelRanges[0], "Unknown rule", "There is no rule %q; the settings would apply to nothing.%s", id, didYouMean(id, d.opts.AllRules))
	}
	if content == nil {
		return r, false
	}
	if attr, has := content.Attributes["enabled"]; has {
		if v, ok := d.value(attr); ok {
			b, err := convert.Convert(v, cty.Bool)
			if err != nil || b.IsNull() {
				d.errorf(attr.Expr.Range(), "Invalid enabled", "enabled must be true or false.")
			} else {
				enabled := b.True()
				r.Enabled = &enabled
			}
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

// required returns the named attribute, or reports it missing at the block
// header with why it is needed.
func (d *decoder) required(blk *hcl.Block, content *hcl.BodyContent, name, why string) *hcl.Attribute {
	if attr, ok := content.Attributes[name]; ok {
		return attr
	}
	d.errorf(blk.DefRange, "Missing required argument",
		"The argument %q is required in %s blocks: %s.", name, blk.Type, why)
	return nil
}

// nonEmptyString decodes a required string argument that must contain more
// than whitespace; a blank reason or owner defeats its purpose as surely
// as a missing one.
func (d *decoder) nonEmptyString(blk *hcl.Block, content *hcl.BodyContent, name, why string) (string, hcl.Range, bool) {
	attr := d.required(blk, content, name, why)
	if attr == nil {
		return "", hcl.Range{}, false
	}
	return d.nonEmpty(attr, why)
}

// nonEmpty decodes a string argument that must contain more than
// whitespace and returns it with the range of its value.
func (d *decoder) nonEmpty(attr *hcl.Attribute, why string) (string, hcl.Range, bool) {
	s, ok := d.string(attr)
	if !ok {
		return "", hcl.Range{}, false
	}
	rng := attr.Expr.Range()
	if strings.TrimSpace(s) == "" {
		d.errorf(rng, "Empty "+attr.Name, "The argument %q must not be empty: %s.", attr.Name, why)
		return "", hcl.Range{}, false
	}
	return s, rng, true
}

// addressPatterns decodes the resources argument, which must be present
// when required is set and, when present, non-empty: an empty list must not
// read as "every address" (a waiver without resources covers every address,
// so resources = [] would silently widen it).
func (d *decoder) addressPatterns(blk *hcl.Block, content *hcl.BodyContent, required bool) []AddressPattern {
	var attr *hcl.Attribute
	if required {
		attr = d.required(blk, content, "resources", "it says which resources the block covers")
	} else {
		attr = content.Attributes["resources"]
	}
	if attr == nil {
		return nil
	}
	list, ranges, ok := d.stringList(attr)
	if ok && len(list) == 0 {
		if required {
			d.errorf(attr.Expr.Range(), "Empty resource list",
				"resources must list at least one resource address pattern.")
		} else {
			d.errorf(attr.Expr.Range(), "Empty resource list",
				"resources must list at least one resource address pattern; to cover every address, leave the argument out.")
		}
	}
	var out []AddressPattern
	for i, s := range list {
		p, err := ParseAddressPattern(s)
		if err != nil {
			d.errorf(ranges[i], "Invalid resource address pattern", "%s", err)
			continue
		}
		out = append(out, p)
	}
	return out
}

// value evaluates a literal expression. With no evaluation context, any
// variable or function call is reported by HCL itself.
func (d *decoder) value(attr *hcl.Attribute) (cty.Value, bool) {
	v, diags := attr.Expr.Value(nil)
	d.diags = append(d.diags, diags...)
	if diags.HasErrors() {
		return cty.NilVal, false
	}
	v, _ = v.UnmarkDeep()
	if v.IsNull() {
		d.errorf(attr.Expr.Range(), "Invalid value", "The argument %q must not be null.", attr.Name)
		return cty.NilVal, false
	}
	if !v.IsWhollyKnown() {
		d.errorf(attr.Expr.Range(), "Invalid value", "The argument %q must be a literal value.", attr.Name)
		return cty.NilVal, false
	}
	return v, true
}

func (d *decoder) string(attr *hcl.Attribute) (string, bool) {
	v, ok := d.value(attr)
	if !ok {
		return "", false
	}
	s, err := convert.Convert(v, cty.String)
	if err != nil {
		d.errorf(attr.Expr.Range(), "Incorrect attribute value type",
			"Inappropriate value for argument %q: a string is required.", attr.Name)
		return "", false
	}
	return s.AsString(), true
}

// stringList decodes a list of strings and returns, alongside each element,
// the range of the element's own expression when the list is written out
// literally, so that a bad element is pointed at precisely. ok is false
// when the argument as a whole is unusable; elements that are not strings
// are reported and skipped.
func (d *decoder) stringList(attr *hcl.Attribute) (list []string, ranges []hcl.Range, ok bool) {
	v, ok := d.value(attr)
	if !ok {
		return nil, nil, false
	}
	ty := v.Type()
	if !ty.IsListType() && !ty.IsTupleType() && !ty.IsSetType() {
		d.errorf(attr.Expr.Range(), "Incorrect attribute value type",
			"Inappropriate value for argument %q: a list of strings is required.", attr.Name)
		return nil, nil, false
	}
	n := v.LengthInt()
	var exprs []hcl.Expression
	if n > 0 {
		if es, diags := hcl.ExprList(attr.Expr); !diags.HasErrors() && len(es) == n && !ty.IsSetType() {
			exprs = es
		}
	}
	list = make([]string, 0, n)
	ranges = make([]hcl.Range, 0, n)
	i := 0
	for it := v.ElementIterator(); it.Next(); i++ {
		_, ev := it.Element()
		rng := attr.Expr.Range()
		if exprs != nil {
			rng = exprs[i].Range()
		}
		if ev.IsNull() {
			d.errorf(rng, "Invalid value", "Element %d of argument %q must not be null.", i+1, attr.Name)
			ok = false
			continue
		}
		s, err := convert.Convert(ev, cty.String)
		if err != nil || !s.IsKnown() || s.IsNull() {
			d.errorf(rng, "Incorrect attribute value type",
				"Element %d of argument %q must be a string.", i+1, attr.Name)
			ok = false
			continue
		}
		list = append(list, s.AsString())
		ranges = append(ranges, rng)
	}
	return list, ranges, ok
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func envNames(names map[string]envEntry) []string {
	out := make([]string, 0, len(names))
	for n := range names {
		out = append(out, n)
	}
	return out
}

// didYouMean returns a " Did you mean "x"?" sentence for the closest
// candidate, or a list of the candidates when none is close, so the user is
// never left guessing what would have been accepted.
func didYouMean(given string, candidates []string) string {
	if len(given) > 200 {
		return "" // not a typo of any short id; spare the quadratic work
	}
	best, bestDist := "", -1
	for _, c := range candidates {
		dist := levenshtein(strings.ToLower(given), strings.ToLower(c))
		if bestDist < 0 || dist < bestDist || (dist == bestDist && c < best) {
			best, bestDist = c, dist
		}
	}
	switch {
	case bestDist < 0:
		return " None are known."
	case bestDist <= 2 || bestDist <= len(given)/3:
		return fmt.Sprintf(" Did you mean %q?", best)
	}
	sorted := slices.Clone(candidates)
	slices.Sort(sorted)
	if len(sorted) > 10 {
		return fmt.Sprintf(" Known: %s, ….", strings.Join(quoteAll(sorted[:10]), ", "))
	}
	return fmt.Sprintf(" Known: %s.", strings.Join(quoteAll(sorted), ", "))
}

func quoteAll(list []string) []string {
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = fmt.Sprintf("%q", s)
	}
	return out
}

func levenshtein(a, b string) int {
	ar, br := []rune(a), []rune(b)
	prev := make([]int, len(br)+1)
	cur := make([]int, len(br)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ar); i++ {
		cur[0] = i
		for j := 1; j <= len(br); j++ {
			cost := 1
			if ar[i-1] == br[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(br)]
}
