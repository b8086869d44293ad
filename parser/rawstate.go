package parser

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/lockstep-iac/lockstep/internal/jsonkind"
	"github.com/lockstep-iac/lockstep/snapshot"
)

func (d *document) rawSnapshot(r *redactor) (func() *snapshot.Snapshot, error) {
	snap := &snapshot.Snapshot{Kind: snapshot.KindRawState, FormatVersion: "4", TerraformVersion: d.TerraformVersion,
		Tool: ToolOf(rawProviderAddresses(d.Resources))}
	type inst struct {
		res  *rawResource
		inst *rawInstance
		obj  *decodedObject
		addr string
	}
	var insts []inst
	for i := range d.Resources {
		rr := &d.Resources[i]
		if rr.Type == "" || rr.Name == "" {
			return nil, &InputError{Problem: fmt.Sprintf("resources[%d] has no type or name", i)}
		}
		for j := range rr.Instances {
			ri := &rr.Instances[j]
			// The streaming reader decodes the attributes as it reads them;
			// the document reader leaves them raw.
			a, err := r.decodeAttributes(ri.RawAttributes)
			if e, ok := err.(*errNotObject); ok {
				return nil, &InputError{Problem: fmt.Sprintf("resources[%d].instances[%d].attributes (%s) %s", i, j, rawName(rr), e)}
			}
			if err != nil {
				return nil, &InputError{Problem: fmt.Sprintf("resources[%d].instances[%d].attributes (%s): %v", i, j, rawName(rr), err)}
			}
			if a != nil {
				ri.Attributes = a
			}
			if ri.Attributes == nil && ri.AttributesFlat != nil {
				flat := make(map[string]any, len(ri.AttributesFlat))
				for k, v := range ri.AttributesFlat {
					flat[k] = v
				}
				ri.Attributes = snapshot.NewAttributes(flat)
			}
			unwrapDynamic(ri.Attributes)
			addr, err := rawAddress(rr, ri)
			if err != nil {
				return nil, &InputError{Problem: fmt.Sprintf("resources[%d].instances[%d]: %v", i, j, err)}
			}
			mask, err := maskFromPaths(ri.SensitiveAttributes)
			if err != nil {
				return nil, &InputError{Problem: fmt.Sprintf("resources[%d].instances[%d].sensitive_attributes (%s): %v", i, j, rawName(rr), err), Hint: regenerate}
			}
			insts = append(insts, inst{rr, ri, &decodedObject{values: ri.Attributes, mask: mask}, addr})
		}
	}
	for name, o := range d.Outputs {
		r.collectNamed(outputType, name, o.Value, o.Sensitive)
	}
	for _, in := range insts {
		r.collectObject(objectType(in.res.Mode, in.res.Type), in.res.Name, in.obj)
	}
	return func() *snapshot.Snapshot {
		snap.Resources = make(map[string]*snapshot.Resource, len(insts))
		for _, in := range insts {
			if in.res.Mode == "data" || in.inst.Deposed != "" {
				continue
			}
			values, hidden := r.redactObject(in.obj)
			obj := &snapshot.Object{Values: values, Sensitive: hidden}
			snap.Resources[in.addr] = &snapshot.Resource{
				Address: in.addr, Module: in.res.Module, Type: in.res.Type, Name: in.res.Name,
				Now: obj, After: obj, Tainted: in.inst.Status == "tainted",
			}
		}
		snap.Sensitive = r.marks.Len()
		return snap
	}, nil
}

// unwrapDynamic replaces raw state's {"value": v, "type": T} wrappers of
// dynamically typed attributes (terraform_data's input and output) with v, so
// raw state compares equal to `terraform show -json`. Without provider
// schemas the wrapper is recognised by shape: exactly the keys value and
// type, with type a valid cty type.
func unwrapDynamic(attrs *snapshot.Attributes) {
	for i := range attrs.Len() {
		attrs.SetAt(i, unwrapValue(attrs.At(i)))
	}
}

func unwrapValue(v any) any {
	switch t := v.(type) {
	case *snapshot.Attributes:
		if t.Len() == 2 {
			if typ, ok := t.Get("type"); ok {
				if inner, ok := t.Get("value"); ok && isCtyType(typ) {
					return inner
				}
			}
		}
		return t
	case map[string]any:
		if len(t) == 2 {
			if typ, ok := t["type"]; ok {
				if inner, ok := t["value"]; ok && isCtyType(typ) {
					return inner
				}
			}
		}
		return t
	}
	return v
}

func isCtyType(t any) bool {
	switch v := t.(type) {
	case string:
		switch v {
		case "string", "number", "bool", "dynamic":
			return true
		}
	case []any:
		if len(v) == 0 {
			return false
		}
		kind, _ := v[0].(string)
		switch kind {
		case "list", "set", "map":
			return len(v) == 2 && isCtyType(v[1])
		case "object":
			if len(v) < 2 {
				return false
			}
			return isBlock(v[1])
		case "tuple":
			if len(v) != 2 {
				return false
			}
			_, ok := v[1].([]any)
			return ok
		}
	}
	return false
}

// maskFromPaths turns raw state's sensitive_attributes (lists of cty path
// steps) into the nested mask shape that plan and state JSON use.
// A step it cannot read is an error: dropping it would print the value it
// marks.
func maskFromPaths(paths []rawPath) (any, error) {
	if len(paths) == 0 {
		return nil, nil
	}
	root := map[string]any{}
	for _, p := range paths {
		if len(p) == 0 {
			return true, nil
		}
		node := root
		for i, step := range p {
			key, err := stepKey(step)
			if errors.Is(err, errNullIndex) {
				break
			}
			if err != nil {
				return nil, err
			}
			if i == len(p)-1 {
				node[key] = true
				break
			}
			next, ok := node[key].(map[string]any)
			if !ok {
				if node[key] == true {
					break
				}
				next = map[string]any{}
				node[key] = next
			}
			node = next
		}
	}
	return root, nil
}

// errNullIndex is an index step without a value. Its path is ignored, as
// before these steps were checked (TestRawStateSensitivePaths keeps that
// contract): no value can be indexed by null.
var errNullIndex = errors.New("an index step without a value")

// stepKey returns the attribute name or index of one cty path step:
// get_attr names an attribute, index a map key or list index (a typed
// value, {"value": ..., "type": ...}).
func stepKey(s rawStep) (string, error) {
	var v any
	if err := json.Unmarshal(s.Value, &v); err != nil {
		return "", fmt.Errorf("a %s step's value is not JSON", strconv.Quote(s.Type))
	}
	switch s.Type {
	case "get_attr":
		if k, ok := v.(string); ok {
			return k, nil
		}
	case "index":
		if m, ok := v.(map[string]any); ok {
			v = m["value"]
		}
		switch k := v.(type) {
		case nil:
			return "", errNullIndex
		case string:
			return k, nil
		case float64:
			if k == float64(int64(k)) {
				return strconv.FormatInt(int64(k), 10), nil
			}
		}
	default:
		return "", fmt.Errorf("a path step has the type %s, which Terraform never writes (get_attr and index)", strconv.Quote(s.Type))
	}
	return "", fmt.Errorf("a %s step's value is %s", s.Type, jsonkind.Of(v).Phrase())
}
