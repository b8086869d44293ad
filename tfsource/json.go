package tfsource

import (
	"errors"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"

	"github.com/lockstep-iac/lockstep/internal/guard"
)

// parseJSON indexes a .tf.json file. HCL's JSON syntax allows a key twice
// (blocks of one type), and HCL reports syntax errors in its own words:
// only depth is checked first.
func parseJSON(p *hclparse.Parser, m *module, fn string, src []byte, isOverride bool) error {
	if err := guard.JSONDepth(src); err != nil {
		if ge := (*guard.Error)(nil); errors.As(err, &ge) && ge.Kind == guard.TooDeep {
			return depthError(fn, ge)
		}
	}
	f, diags := p.ParseJSON(src, fn)
	if err := syntaxError(fn, diags); err != nil {
		return err
	}
	if f != nil {
		indexJSON(m, f.Body, isOverride)
	}
	return nil
}

var fileSchema = &hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{
	{Type: "resource", LabelNames: []string{"type", "name"}},
	{Type: "data", LabelNames: []string{"type", "name"}},
	{Type: "ephemeral", LabelNames: []string{"type", "name"}},
	{Type: "module", LabelNames: []string{"name"}},
}}

var dynamicSchema = &hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{
	{Type: "dynamic", LabelNames: []string{"name"}},
}}

// indexJSON indexes a .tf.json file's blocks (best effort: structural
// problems Terraform would reject are skipped, not reported).
func indexJSON(m *module, body hcl.Body, isOverride bool) {
	content, _, _ := body.PartialContent(fileSchema)
	if content == nil {
		return
	}
	for _, b := range content.Blocks {
		if b == nil || b.Body == nil {
			continue
		}
		end := b.DefRange.End.Line
		if r := b.Body.MissingItemRange(); r.End.Line > end {
			end = r.End.Line // the closing brace of an object body
		}
		attrs := jsonAttrs(b.Body)
		blk := Block{Pos: position(b.DefRange, end), attrs: attrs}
		switch {
		case b.Type == "module" && len(b.Labels) == 1:
			m.addCall(b.Labels[0], blk, jsonSource(b.Body), isOverride)
		case len(b.Labels) == 2:
			m.addBlock(blockKey(b.Type, b.Labels), blk, isOverride)
		}
	}
}

// jsonAttrs gives the positions of the properties of a JSON block body;
// `dynamic` blocks count by their label, every other nested block is an
// object-valued property like an attribute.
func jsonAttrs(body hcl.Body) map[string]Position {
	attrs := map[string]Position{}
	content, rest, _ := body.PartialContent(dynamicSchema)
	if rest == nil {
		return attrs
	}
	as, _ := rest.JustAttributes()
	for name, a := range as {
		if a != nil {
			attrs[name] = position(a.Range, a.Range.End.Line)
		}
	}
	if content != nil {
		for _, b := range content.Blocks {
			if b == nil || len(b.Labels) != 1 {
				continue
			}
			if _, ok := attrs[b.Labels[0]]; ok {
				continue
			}
			end := b.DefRange.End.Line
			if r := b.Body.MissingItemRange(); r.End.Line > end {
				end = r.End.Line
			}
			attrs[b.Labels[0]] = position(b.LabelRanges[0], end)
		}
	}
	return attrs
}

// jsonSource is the literal source of a JSON module block, or "".
func jsonSource(body hcl.Body) string {
	content, _, _ := body.PartialContent(&hcl.BodySchema{Attributes: []hcl.AttributeSchema{{Name: "source"}}})
	if content == nil {
		return ""
	}
	a, ok := content.Attributes["source"]
	if !ok || a == nil || a.Expr == nil {
		return ""
	}
	if len(a.Expr.Variables()) > 0 {
		return ""
	}
	return valueString(a.Expr.Value(nil))
}
