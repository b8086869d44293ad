package policy

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/lockstep-iac/lockstep/internal/jsonkind"
	"github.com/lockstep-iac/lockstep/report"
)

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
		return wrong("%s", jsonkind.Of(v).Phrase())
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
// here too. waiver is expired-waiver's own, related is set by the engine
// when one finding supersedes another (Supersede), and extra is where the
// other keys go, so a user's "waiver", "related" or "extra" is an extra key
// like any other.
var userDetailKeys = detailKeys("waiver", "related", "extra")

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
			return fmt.Sprintf("%s where an object was expected", jsonkind.Kind(got).Phrase())
		}
		return fmt.Sprintf("%s%s must be %s, not %s", prefix, te.Field, describeType(te.Type), jsonkind.Kind(got).Phrase())
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
	case reflect.String, reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Float32, reflect.Float64:
		return jsonkind.OfGo(t.Kind()).Phrase()
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

// jsonType is the JSON type of a value a rule yielded, without article.
func jsonType(v any) string { return string(jsonkind.Of(v)) }
