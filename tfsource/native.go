package tfsource

import (
	"errors"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/lockstep-iac/lockstep/internal/guard"
)

// parseNative indexes a .tf file.
func parseNative(p *hclparse.Parser, m *module, fn string, src []byte, isOverride bool) error {
	if err := guard.HCL(src); err != nil {
		if ge := (*guard.Error)(nil); errors.As(err, &ge) {
			return depthError(fn, ge)
		}
		return err
	}
	f, diags := p.ParseHCL(src, fn)
	if err := syntaxError(fn, diags); err != nil {
		return err
	}
	if f == nil {
		return nil
	}
	body, ok := f.Body.(*hclsyntax.Body)
	if !ok {
		return nil
	}
	for _, b := range body.Blocks {
		r := b.Range()
		blk := Block{
			Pos:   position(b.DefRange(), r.End.Line),
			attrs: nativeAttrs(b.Body),
			vars:  bodyVarRefs(b.Body),
		}
		switch {
		case (b.Type == "resource" || b.Type == "data" || b.Type == "ephemeral") && len(b.Labels) == 2:
			m.addBlock(blockKey(b.Type, b.Labels), blk, isOverride)
		case b.Type == "module" && len(b.Labels) == 1:
			src := ""
			if a, ok := b.Body.Attributes["source"]; ok {
				src = literalString(a.Expr)
			}
			m.addCall(b.Labels[0], blk, src, isOverride)
		case b.Type == "variable" && len(b.Labels) == 1:
			if m.variables == nil {
				m.variables = map[string]Block{}
			}
			if _, dup := m.variables[b.Labels[0]]; !dup || isOverride {
				m.variables[b.Labels[0]] = blk
			}
		}
	}
	return nil
}

// nativeAttrs gives the positions of a native-syntax block body's
// attributes and nested blocks.
func nativeAttrs(body *hclsyntax.Body) map[string]Position {
	attrs := map[string]Position{}
	if body == nil {
		return attrs
	}
	for name, a := range body.Attributes {
		attrs[name] = position(a.SrcRange, a.SrcRange.End.Line)
		objectKeys(attrs, name, a.Expr, 0)
	}
	for _, nb := range body.Blocks {
		name := nb.Type
		if nb.Type == "dynamic" && len(nb.Labels) == 1 {
			name = nb.Labels[0]
		}
		if _, ok := attrs[name]; ok {
			continue
		}
		r := nb.Range()
		attrs[name] = position(r, r.End.Line)
	}
	return attrs
}

// objectKeys indexes the items of an object written out in place
// (`input = { engine_version = var.x }`) as "input.engine_version", so a
// finding about a nested value points at its own line. Keys that are not
// literal are skipped; nesting is bounded.
func objectKeys(attrs map[string]Position, prefix string, expr hclsyntax.Expression, depth int) {
	obj, ok := expr.(*hclsyntax.ObjectConsExpr)
	if !ok || depth > 8 {
		return
	}
	for _, item := range obj.Items {
		key := hcl.ExprAsKeyword(item.KeyExpr)
		if key == "" {
			if k, ok := item.KeyExpr.(*hclsyntax.ObjectConsKeyExpr); ok {
				key = literalString(k.Wrapped)
			}
		}
		if key == "" || strings.ContainsAny(key, ".[") {
			continue
		}
		name := prefix + "." + key
		if _, dup := attrs[name]; dup {
			continue
		}
		r := hcl.RangeBetween(item.KeyExpr.Range(), item.ValueExpr.Range())
		attrs[name] = position(r, r.End.Line)
		objectKeys(attrs, name, item.ValueExpr, depth+1)
	}
}

// literalString is the value of a native-syntax string literal without
// interpolations (Terraform requires module sources to be one), or "".
func literalString(expr hclsyntax.Expression) string {
	t, ok := expr.(*hclsyntax.TemplateExpr)
	if !ok || !t.IsStringLiteral() {
		return ""
	}
	return valueString(t.Value(nil))
}

func valueString(v cty.Value, diags hcl.Diagnostics) string {
	if diags.HasErrors() || v.IsNull() || !v.IsKnown() || !v.Type().Equals(cty.String) {
		return ""
	}
	return v.AsString()
}
