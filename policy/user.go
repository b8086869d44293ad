package policy

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/loader"

	"github.com/lockstep-iac/lockstep/report"
)

// userRuleName is conftest's convention: deny, violation and warn, and
// prefixed variants such as deny_db_parity.
var userRuleName = regexp.MustCompile(`^(deny|violation|warn)(_[A-Za-z0-9_]+)?$`)

// Load reads every .rego (tests only when tests is set) and every
// .json/.yaml data document below the --policy directories, the one way
// both `check` and `test` load policies. A data document lands in `data` at
// the path of its directory relative to the --policy directory, as with
// `opa eval --data DIR`; two directories defining the same data differently
// is an error.
func Load(dirs []string, tests bool) (map[string]*ast.Module, map[string]any, error) {
	modules := map[string]*ast.Module{}
	docs := map[string]any{}
	for _, dir := range dirs {
		st, err := os.Stat(dir)
		if err != nil {
			return nil, nil, &Error{Err: fmt.Errorf("--policy %s: %w", dir, err)}
		}
		if !st.IsDir() && !strings.HasSuffix(dir, ".rego") {
			return nil, nil, &Error{Err: fmt.Errorf("--policy %s: not a directory or .rego file", dir)}
		}
		fsys, err := newPolicyFS(dir)
		if err != nil {
			return nil, nil, &Error{Err: fmt.Errorf("--policy %s: %w", dir, err)}
		}
		res, err := loader.NewFileLoader().
			WithFS(fsys).
			WithProcessAnnotation(true).
			Filtered([]string{dir}, func(_ string, info os.FileInfo, depth int) bool {
				return Skip(info, depth, tests)
			})
		if err != nil {
			return nil, nil, newError("", err)
		}
		for name, m := range res.ParsedModules() {
			modules[name] = m
		}
		if err := mergeData(docs, res.Documents); err != nil {
			return nil, nil, &Error{Err: fmt.Errorf("--policy %s: %w", dir, err)}
		}
	}
	return modules, docs, nil
}

// Skip tells the OPA loader which files under a --policy directory are not
// policies or data: anything but .rego, .json and .yaml; tests unless
// tests is set; hidden directories (.git, .terraform); and testdata/
// directories below it and *.plan.json / *.state.json files, which hold the plan
// and state fixtures tests read with lockstep.input_from, not data.
func Skip(info os.FileInfo, depth int, tests bool) bool {
	name := info.Name()
	if info.IsDir() {
		// The directory given is never skipped, whatever its name.
		return depth > 0 && (strings.HasPrefix(name, ".") || name == "testdata")
	}
	lower := strings.ToLower(name)
	switch filepath.Ext(lower) {
	case ".rego":
		return !tests && strings.HasSuffix(lower, "_test.rego")
	case ".json", ".yaml", ".yml":
		return strings.HasSuffix(lower, ".plan.json") || strings.HasSuffix(lower, ".state.json")
	}
	return true
}

// mergeData merges src into dst; two directories defining the same leaf
// differently is an error rather than a silent override.
func mergeData(dst, src map[string]any) error {
	for k, v := range src {
		old, ok := dst[k]
		if !ok {
			dst[k] = v
			continue
		}
		om, ok1 := old.(map[string]any)
		nm, ok2 := v.(map[string]any)
		if !ok1 || !ok2 {
			return fmt.Errorf("data.%s is defined twice", k)
		}
		if err := mergeData(om, nm); err != nil {
			return err
		}
	}
	return nil
}

// userPackage tells whether lockstep evaluates a package's rules: `main`
// (conftest's default namespace) and every package under `lockstep.`
// other than the built-in ones. Other packages load and can be imported as
// helpers.
func userPackage(path string) bool {
	return path == "data.main" || strings.HasPrefix(path, "data.lockstep.")
}

// builtinPackage reports whether a package path is reserved for the rules
// shipped inside lockstep.
func builtinPackage(path string) bool {
	return path == "data.lockstep.lib" || strings.HasPrefix(path, "data.lockstep.rules.") || path == "data.lockstep.rules"
}

// userRules finds the deny/violation/warn rules of the user modules, one
// per package and rule name, with their metadata. A rule's METADATA (on any
// of its bodies) wins over its package's; without custom.id the id is the
// package and rule name ("main.deny"), and without custom.severity warn
// rules are warnings and the others errors.
func userRules(user map[string]*ast.Module, builtinIDs map[string]bool) ([]Rule, error) {
	type key struct{ pkg, name string }
	found := map[key]*Rule{}
	pkgMeta := map[string]*ast.Annotations{}
	for _, file := range sortedKeys(user) {
		m := user[file]
		pkg := m.Package.Path.String()
		if builtinPackage(pkg) {
			return nil, errorAt("", m.Package.Location, "package %s is reserved for lockstep's built-in rules; name yours lockstep.<something> or main", strings.TrimPrefix(pkg, "data."))
		}
		for _, a := range m.Annotations {
			if a.Scope == "package" {
				if userPackage(pkg) {
					if err := checkUserMeta(a); err != nil {
						return nil, err
					}
				}
				pkgMeta[pkg] = a
			}
		}
	}
	for _, file := range sortedKeys(user) {
		m := user[file]
		pkg := m.Package.Path.String()
		if !userPackage(pkg) {
			continue
		}
		for _, r := range m.Rules {
			ref := r.Head.Ref()
			name := ref[0].Value.String()
			// Functions (deny_msg(r) := ...) are helpers, not rules.
			if !userRuleName.MatchString(name) || len(r.Head.Args) > 0 {
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

// userFinding is the object form of a user rule's result.
type userFinding struct {
	Msg          *string         `json:"msg"`
	Address      *string         `json:"address"`
	Environments []string        `json:"environments"`
	Details      json.RawMessage `json:"details"`
}

// decodeUserFinding turns one element of a deny/violation/warn set into a
// finding: a string is the message; an object has msg and optionally
// address, environments and details.
func decodeUserFinding(rule Rule, v any, envs map[string]bool) (report.Finding, error) {
	f := report.Finding{Rule: rule.ID, Severity: rule.Severity, Environments: []string{}}
	loc := &ast.Location{File: rule.File, Row: rule.Line, Col: rule.Column}
	wrong := func(format string, args ...any) (report.Finding, error) {
		return f, errorAt(rule.ID, loc, "%s yields %s; a rule yields a message string or an object with msg (and optionally address, environments, details)",
			rule.Name, fmt.Sprintf(format, args...))
	}
	switch t := v.(type) {
	case string:
		if t == "" {
			return wrong("an empty message")
		}
		f.Message = report.Shorten(t, report.MaxTextBytes)
		return f, nil
	case map[string]any:
		b, err := json.Marshal(t)
		if err != nil {
			return wrong("an object that cannot be encoded (%v)", err)
		}
		var uf userFinding
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.UseNumber()
		if err := dec.Decode(&uf); err != nil {
			return wrong("an object whose fields have the wrong types (%v)", shortJSONError("", err))
		}
		if uf.Msg == nil || *uf.Msg == "" {
			return wrong("an object without msg")
		}
		f.Message = report.Shorten(*uf.Msg, report.MaxTextBytes)
		if uf.Address != nil {
			f.Address = *uf.Address
		}
		if uf.Environments != nil {
			for _, e := range uf.Environments {
				if !envs[e] {
					return wrong("environments naming %q, which is not one of the environments checked", e)
				}
			}
			f.Environments = uf.Environments
		}
		if len(uf.Details) > 0 && string(uf.Details) != "null" {
			d, err := decodeUserDetails(uf.Details)
			if err != nil {
				return wrong("details that are not an object with the report's detail fields (%v)", shortJSONError("details.", err))
			}
			f.Details = d
		}
		return f, nil
	case nil:
		return wrong("null")
	default:
		return wrong("a %s", jsonType(v))
	}
}

// decodeUserDetails maps a user's details object onto the report's Details:
// known keys (attributes, present, missing, addresses, ...) keep their
// meaning in every output format; the others go under details.extra.
func decodeUserDetails(raw json.RawMessage) (report.Details, error) {
	var d report.Details
	var all map[string]json.RawMessage
	if err := json.Unmarshal(raw, &all); err != nil {
		return d, err
	}
	known := map[string]json.RawMessage{}
	extra := map[string]any{}
	for k, v := range all {
		switch {
		case userDetailKeys[k]:
			known[k] = v
		default:
			var x any
			dec := json.NewDecoder(bytes.NewReader(v))
			dec.UseNumber()
			if err := dec.Decode(&x); err != nil {
				return d, err
			}
			extra[k] = x
		}
	}
	b, _ := json.Marshal(known)
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	dec.DisallowUnknownFields()
	if err := dec.Decode(&d); err != nil {
		return d, err
	}
	if len(extra) > 0 {
		d.Extra = extra
	}
	return d, nil
}

// userDetailKeys are the report.Details fields a user rule sets by their
// JSON names, read from the struct tags so a field added to Details is known
// here too. waiver is expired-waiver's own, and extra is where the other
// keys go, so a user's "waiver" or "extra" is an extra key like any other.
var userDetailKeys = detailKeys("waiver", "extra")

func detailKeys(except ...string) map[string]bool {
	keys := map[string]bool{}
	t := reflect.TypeFor[report.Details]()
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if name != "" && name != "-" && !slices.Contains(except, name) {
			keys[name] = true
		}
	}
	return keys
}

// shortJSONError says what a field of a finding should be in the terms of
// the JSON (Rego) value the rule yields, never in Go's. prefix is where the
// decoded object sits in the finding ("details." for details).
func shortJSONError(prefix string, err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		got := te.Value
		switch {
		case got == "bool":
			got = "boolean"
		case strings.HasPrefix(got, "number"): // "number 1.5" for a non-integer
			got = "number"
		}
		if te.Field == "" {
			return fmt.Sprintf("%s where an object was expected", article(got))
		}
		return fmt.Sprintf("%s%s must be %s, not %s", prefix, te.Field, describeType(te.Type), article(got))
	}
	if f, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		return fmt.Sprintf("%s has the unknown field %s", strings.TrimSuffix(prefix, "."), f)
	}
	return err.Error()
}

// describeType names a Go type of the report as the JSON a rule writes:
// []report.AttributeDetail is "an array of objects with path and values".
func describeType(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Pointer:
		return describeType(t.Elem())
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "a boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		if t.Elem().Kind() == reflect.Interface {
			return "an array"
		}
		return "an array of " + plural(describeType(t.Elem()))
	case reflect.Map:
		if t.Elem().Kind() == reflect.Interface {
			return "an object"
		}
		return "an object of " + plural(describeType(t.Elem()))
	case reflect.Struct:
		var required []string
		for i := range t.NumField() {
			tag := t.Field(i).Tag.Get("json")
			name, opts, _ := strings.Cut(tag, ",")
			if name != "" && name != "-" && !strings.Contains(opts, "omitempty") {
				required = append(required, name)
			}
		}
		switch len(required) {
		case 0:
			return "an object"
		case 1:
			return "an object with " + required[0]
		}
		return "an object with " + strings.Join(required[:len(required)-1], ", ") + " and " + required[len(required)-1]
	}
	return "any value"
}

// plural turns "a string" into "strings", "an object with path" into
// "objects with path".
func plural(s string) string {
	s = strings.TrimPrefix(strings.TrimPrefix(s, "an "), "a ")
	head, rest, _ := strings.Cut(s, " ")
	if rest != "" {
		return head + "s " + rest
	}
	return head + "s"
}

func article(s string) string {
	if strings.ContainsRune("aeiou", rune(s[0])) {
		return "an " + s
	}
	return "a " + s
}

func jsonType(v any) string {
	switch v.(type) {
	case bool:
		return "boolean"
	case json.Number, float64, int:
		return "number"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return fmt.Sprintf("%T", v)
}
