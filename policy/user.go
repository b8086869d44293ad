package policy

import (
	"encoding/json"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/lockstep-iac/lockstep/report"
)

// userRuleName is conftest's convention: deny, violation and warn, and
// prefixed variants such as deny_db_parity.
var userRuleName = regexp.MustCompile(`^(deny|violation|warn)(_[A-Za-z0-9_]+)?$`)

// userRules finds the deny/violation/warn rules of the user modules, one
// per package and rule name, with their metadata. A rule's METADATA (on any
// of its bodies) wins over its package's; without custom.id the id is the
// package and rule name ("main.deny"), and without custom.severity warn
// rules are warnings and the others errors.
func userRules(user map[string]*ast.Module, builtinIDs map[string]bool) ([]Rule, error) {
	return selectRules(user, builtinIDs, userPackage, userRuleName)
}

// selectRules is userRules for the packages evaluated selects and the rule
// names named matches: --policy's, or --env-policy's namespaces with
// conftest's rule names.
func selectRules(user map[string]*ast.Module, builtinIDs map[string]bool, evaluated func(pkg string) bool, named *regexp.Regexp) ([]Rule, error) {
	type key struct{ pkg, name string }
	found := map[key]*Rule{}
	pkgMeta := map[string]*ast.Annotations{}
	for _, file := range slices.Sorted(maps.Keys(user)) {
		m := user[file]
		pkg := m.Package.Path.String()
		if builtinPackage(pkg) {
			return nil, errorAt("", m.Package.Location, "package %s is reserved for lockstep's built-in rules; name yours lockstep.<something> or main", strings.TrimPrefix(pkg, "data."))
		}
		for _, a := range m.Annotations {
			if a.Scope == "package" {
				if evaluated(pkg) {
					if err := checkUserMeta(a); err != nil {
						return nil, err
					}
				}
				pkgMeta[pkg] = a
			}
		}
	}
	for _, file := range slices.Sorted(maps.Keys(user)) {
		m := user[file]
		pkg := m.Package.Path.String()
		if !evaluated(pkg) {
			continue
		}
		for _, r := range m.Rules {
			ref := r.Head.Ref()
			name := ref[0].Value.String()
			// Functions (deny_msg(r) := ...) are helpers, not rules.
			if !named.MatchString(name) || len(r.Head.Args) > 0 {
				continue
			}
			if len(ref) != 1 {
				// deny[msg] if { ... } (conftest's old form with `if`
				// added but not `contains`) makes deny an object keyed
				// by message; ignoring it would silently pass.
				return nil, errorAt("", r.Location, "%s makes %s an object, not a set of messages; write `%s contains msg if { ... }`",
					ref.String(), name, name)
			}
			k := key{pkg, name}
			rule := found[k]
			if rule == nil {
				rule = &Rule{Package: pkg, Name: name, File: file, Line: r.Location.Row, Column: r.Location.Col}
				found[k] = rule
			}
			for _, a := range r.Annotations {
				if a.Scope != "rule" && a.Scope != "document" {
					continue
				}
				if err := applyUserMeta(rule, a); err != nil {
					return nil, err
				}
			}
		}
	}
	out := make([]Rule, 0, len(found))
	for _, r := range found {
		if pm := pkgMeta[r.Package]; pm != nil {
			fillUserMeta(r, pm)
		}
		if r.ID == "" {
			r.ID = strings.TrimPrefix(r.Package, "data.") + "." + r.Name
		}
		if r.Severity == "" {
			r.Severity = report.SeverityError
			if strings.HasPrefix(r.Name, "warn") {
				r.Severity = report.SeverityWarning
			}
		}
		if r.Title == "" {
			r.Title = r.ID
		}
		if builtinIDs[r.ID] {
			return nil, errorAt(r.ID, &ast.Location{File: r.File, Row: r.Line, Col: r.Column}, "%s.%s has the id %q of a built-in rule; choose another custom.id", strings.TrimPrefix(r.Package, "data."), r.Name, r.ID)
		}
		out = append(out, *r)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Package != out[j].Package {
			return out[i].Package < out[j].Package
		}
		return out[i].Name < out[j].Name
	})
	return out, nil
}

// applyUserMeta takes one rule-level METADATA block. Two bodies of the same
// rule naming different ids cannot be told apart in the rule's result set.
func applyUserMeta(r *Rule, a *ast.Annotations) error {
	if err := checkUserMeta(a); err != nil {
		return err
	}
	id, _ := a.Custom["id"].(string)
	if id != "" && r.ID != "" && id != r.ID {
		return errorAt(id, a.Location, "%s has bodies with different METADATA ids (%q and %q); give each id its own rule name, for example %s_%s",
			r.Name, r.ID, id, r.Name, strings.ReplaceAll(id, "-", "_"))
	}
	if s, ok := a.Custom["severity"].(string); ok {
		r.Severity = report.Severity(s)
	}
	if id != "" {
		r.ID = id
	}
	fillUserMeta(r, a)
	return nil
}

// checkUserMeta rejects the METADATA fields lockstep reads that it could
// only ignore: a severity lockstep.hcl would reject (critical, Warning)
// or an id that is not a string would otherwise silently fall back to the
// defaults, and the rule would report under another id or severity than
// its author wrote.
func checkUserMeta(a *ast.Annotations) error {
	if v, ok := a.Custom["severity"]; ok {
		if s, _ := v.(string); !validSeverity(report.Severity(s)) {
			return errorAt("", a.Location, "custom.severity must be error or warning, not %s", metaValue(v))
		}
	}
	if v, ok := a.Custom["id"]; ok {
		if s, _ := v.(string); s == "" {
			return errorAt("", a.Location, "custom.id must be a non-empty string, not %s", metaValue(v))
		}
	}
	for _, key := range []string{"remediation"} {
		if v, ok := a.Custom[key]; ok {
			if _, isString := v.(string); !isString {
				return errorAt("", a.Location, "custom.%s must be a string, not %s", key, metaValue(v))
			}
		}
	}
	return nil
}

// metaValue shows a METADATA value as its author wrote it: a string as is,
// anything else as JSON with its type.
func metaValue(v any) string {
	if s, ok := v.(string); ok {
		if s == "" {
			return "an empty string"
		}
		return s
	}
	b, err := json.Marshal(v)
	if err != nil {
		return jsonType(v)
	}
	return fmt.Sprintf("the %s %s", jsonType(v), b)
}

// fillUserMeta fills what is still empty from a METADATA block.
func fillUserMeta(r *Rule, a *ast.Annotations) {
	if r.ID == "" {
		if id, ok := a.Custom["id"].(string); ok {
			r.ID = id
		}
	}
	if r.Severity == "" {
		if s, ok := a.Custom["severity"].(string); ok {
			r.Severity = report.Severity(s)
		}
	}
	if r.Title == "" {
		r.Title = a.Title
	}
	if r.Description == "" {
		r.Description = strings.TrimSpace(a.Description)
	}
	if r.Remediation == "" {
		if rem, ok := a.Custom["remediation"].(string); ok {
			r.Remediation = strings.TrimSpace(rem)
		}
	}
	if r.HelpURI == "" {
		for _, rr := range a.RelatedResources {
			if rr != nil && rr.Ref.String() != "" {
				r.HelpURI = rr.Ref.String()
				break
			}
		}
	}
}
