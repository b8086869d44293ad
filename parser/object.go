package parser

import (
	"bytes"
	"encoding/json"
	"hash/maphash"

	"github.com/lockstep-iac/lockstep/internal/jsonkind"
	"github.com/lockstep-iac/lockstep/snapshot"
)

// decodedObject is one resource object decoded from raw JSON, kept until
// every sensitive value of the input is known and it can be redacted.
type decodedObject struct {
	values  *snapshot.Attributes
	mask    any
	unknown any
	// id is "TYPE.NAME", the key of the run's path marks (see Marks).
	id string
}

func (r *redactor) decodeObject(values, sensitive, unknown json.RawMessage) (*decodedObject, error) {
	m, err := r.decodeAttributes(values)
	if e, ok := err.(*errNotObject); ok {
		return nil, &InputError{Problem: "a resource's values " + e.Error()}
	}
	if err != nil {
		return nil, err
	}
	if m == nil {
		return nil, nil
	}
	o := &decodedObject{values: m}
	if o.mask, err = r.decodeMask(sensitive); err != nil {
		return nil, err
	}
	if err := checkMask(o.mask, true); err != nil {
		return nil, err
	}
	if o.unknown, err = r.decodeMask(unknown); err != nil {
		return nil, err
	}
	return o, nil
}

// regenerate is the hint for marks Terraform never writes.
const regenerate = "regenerate the file with `terraform show -json` or `terraform state pull` rather than editing it"

// checkMask rejects sensitive_values (or before_sensitive, after_sensitive)
// of a shape Terraform never writes: every leaf is a boolean, and an
// object's marks (top) are an object or a boolean. Dropping a malformed mark
// would print the value it meant to hide. The message names the kind found,
// never a value.
func checkMask(mask any, top bool) error {
	switch m := mask.(type) {
	case nil, bool:
		return nil
	case map[string]any:
		for _, sub := range m {
			if err := checkMask(sub, false); err != nil {
				return err
			}
		}
		return nil
	case []any:
		if !top {
			for _, sub := range m {
				if err := checkMask(sub, false); err != nil {
					return err
				}
			}
			return nil
		}
	}
	return &InputError{Problem: "its sensitive marks hold " + jsonkind.Of(mask).Phrase() + " where Terraform writes only booleans, objects and (inside them) arrays", Hint: regenerate}
}

// decodeValue decodes a raw JSON value keeping numbers exact, interning
// keys.
func (r *redactor) decodeValue(raw json.RawMessage) (any, error) {
	return decodeJSONValue(raw, r.keys)
}

// decodeMask decodes a resource's sensitive_values (or before_sensitive,
// after_sensitive, after_unknown), sharing what it decodes with every
// other object of the input whose mask has the same bytes: a type's
// resources mostly mark the same attributes ({"user_data":true}), and a
// map per resource was a tenth of what a decoded plan held. Nothing
// changes a mask once decoded: the marks are merged into new maps
// (mergeMask), and readers only read. Masks longer than maxMemoMasks are
// decoded each time.
func (r *redactor) decodeMask(raw json.RawMessage) (any, error) {
	if len(raw) > maxMemoMasks {
		return r.decodeValue(raw)
	}
	if m, ok := r.masks[string(raw)]; ok {
		return m, nil
	}
	m, err := r.decodeValue(raw)
	if err == nil && len(r.masks) < maxInterned {
		r.masks[string(raw)] = m
	}
	return m, err
}

// decodeAttributes decodes a resource's values (decodeAttributes): nil
// when absent or null, an *errNotObject when not an object.
func (r *redactor) decodeAttributes(raw json.RawMessage) (*snapshot.Attributes, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	return decodeAttributes(raw, r.keys)
}

// decodeJSONValue decodes a raw value (nil when absent or null); see
// decodeJSON.
func decodeJSONValue(raw []byte, k *keys) (any, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	return decodeJSON(raw, k)
}

// digest stands for a raw value that is not kept: its length and a hash
// seeded afresh for each run, so that no input can be made to collide with
// another on purpose. Equal digests are taken for equal bytes; the chance
// that two different values of one address collide is 2^-64.
type digest struct {
	n int
	h uint64
}

var digestSeed = maphash.MakeSeed()

func digestOf(b []byte) digest { return digest{len(b), maphash.Bytes(digestSeed, b)} }

func (r *redactor) object(o *decodedObject) *snapshot.Object {
	if o == nil {
		return nil
	}
	values, hidden := r.redactObject(o)
	return &snapshot.Object{Values: values, Unknown: nonEmptyMask(o.unknown), Sensitive: hidden}
}

// objectType is the type under which a resource's marks are kept: a data
// source's apart from the managed resource of the same type and name.
func objectType(mode, typ string) string {
	if mode == "data" {
		return "data." + typ
	}
	return typ
}

// covered reports whether every mark of m is also a mark of p.
func covered(m, p any) bool {
	if b, ok := p.(bool); ok && b {
		return true
	}
	switch t := m.(type) {
	case nil:
		return true
	case bool:
		return !t
	case map[string]any:
		pm, _ := p.(map[string]any)
		for k, v := range t {
			if !covered(v, pm[k]) {
				return false
			}
		}
		return true
	case []any:
		pl, _ := p.([]any)
		for i, v := range t {
			var pv any
			if i < len(pl) {
				pv = pl[i]
			}
			if !covered(v, pv) {
				return false
			}
		}
		return true
	}
	return false
}

// trivialMask reports whether a raw mask marks nothing, without decoding it.
func trivialMask(raw json.RawMessage) bool {
	switch string(bytes.TrimSpace(raw)) {
	case "", "null", "false", "{}", "[]":
		return true
	}
	return false
}

func nonEmptyMask(m any) any {
	switch v := m.(type) {
	case nil:
		return nil
	case bool:
		if !v {
			return nil
		}
	case map[string]any:
		if len(v) == 0 {
			return nil
		}
	}
	return m
}
