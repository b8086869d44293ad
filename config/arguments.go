package config

import (
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

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

// bool decodes a true-or-false argument; anything else is an error naming
// the argument.
func (d *decoder) bool(attr *hcl.Attribute) (bool, bool) {
	v, ok := d.value(attr)
	if !ok {
		return false, false
	}
	b, err := convert.Convert(v, cty.Bool)
	if err != nil || b.IsNull() {
		d.errorf(attr.Expr.Range(), "Invalid "+attr.Name, "%s must be true or false.", attr.Name)
		return false, false
	}
	return b.True(), true
}
