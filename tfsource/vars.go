package tfsource

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/lockstep-iac/lockstep/internal/address"
	"github.com/lockstep-iac/lockstep/internal/guard"
	"github.com/lockstep-iac/lockstep/internal/readfile"
)

// varRefs records which attributes (keys as in Block.attrs, object items
// included) are written as exactly `var.NAME`: a value that comes straight
// from a variable, which a finding can follow to where the value is set.
func varRefs(refs map[string]string, prefix string, expr hclsyntax.Expression, depth int) {
	if name, ok := varName(expr); ok {
		refs[prefix] = name
		return
	}
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
		varRefs(refs, prefix+"."+key, item.ValueExpr, depth+1)
	}
}

// bodyVarRefs is varRefs over a block body's attributes.
func bodyVarRefs(body *hclsyntax.Body) map[string]string {
	refs := map[string]string{}
	if body == nil {
		return refs
	}
	for name, a := range body.Attributes {
		varRefs(refs, name, a.Expr, 0)
	}
	return refs
}

// varName is NAME for the expression var.NAME (a template "${var.NAME}"
// included), else false.
func varName(expr hclsyntax.Expression) (string, bool) {
	if w, ok := expr.(*hclsyntax.TemplateWrapExpr); ok {
		expr = w.Wrapped
	}
	t, ok := expr.(*hclsyntax.ScopeTraversalExpr)
	if !ok || len(t.Traversal) != 2 || t.Traversal.RootName() != "var" {
		return "", false
	}
	attr, ok := t.Traversal[1].(hcl.TraverseAttr)
	if !ok {
		return "", false
	}
	return attr.Name, true
}

// RootVariable follows the attribute at path (a dot path, as Block.Attribute
// takes it) of the resource instance addr back to the root module variable
// it comes from: `image = var.image` in a module, the module call's
// `image = var.image`, and so on up to the root. ok is false when some step
// is anything but a plain var.NAME, or a module's sources were not found.
func (ix *Index) RootVariable(addr, path string) (string, bool) {
	a, err := address.Parse(addr)
	if ix == nil || ix.root == nil || err != nil || a.Resource == nil {
		return "", false
	}
	m, fallback, ok := ix.descend(a.Module)
	if !ok || fallback != nil {
		return "", false
	}
	res := *a.Resource
	res.Key = address.Key{}
	b, ok := m.blocks[res.String()]
	if !ok {
		return "", false
	}
	key, _, ok := b.AttributePath(path)
	if !ok {
		return "", false
	}
	name, ok := b.vars[key]
	for i := len(a.Module) - 1; ok && i >= 0; i-- {
		parent, fb, found := ix.descend(a.Module[:i])
		if !found || fb != nil {
			return "", false
		}
		c, found := parent.calls[a.Module[i].Name]
		if !found {
			return "", false
		}
		name, ok = c.block.vars[name]
	}
	return name, ok
}

// Variable returns the root module's `variable "name"` block; its
// Attribute("default") is where the default value is written.
func (ix *Index) Variable(name string) (Block, bool) {
	if ix == nil || ix.root == nil {
		return Block{}, false
	}
	b, ok := ix.root.variables[name]
	return b, ok
}

// Dir is the root module directory the index was loaded from.
func (ix *Index) Dir() string { return ix.dir }

// AutoVarFiles lists the variable files Terraform loads by itself from the
// root module directory dir, in the order it loads them (a later file
// wins): terraform.tfvars, terraform.tfvars.json, then *.auto.tfvars and
// *.auto.tfvars.json in lexical order.
func AutoVarFiles(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("reading variable files: %w", err)
	}
	var out, auto []string
	for _, name := range []string{"terraform.tfvars", "terraform.tfvars.json"} {
		if fi, err := os.Stat(filepath.Join(dir, name)); err == nil && fi.Mode().IsRegular() {
			out = append(out, filepath.Join(dir, name))
		}
	}
	for _, e := range entries {
		n := e.Name()
		if !e.IsDir() && !isIgnoredFile(n) && (strings.HasSuffix(n, ".auto.tfvars") || strings.HasSuffix(n, ".auto.tfvars.json")) {
			auto = append(auto, filepath.Join(dir, n))
		}
	}
	slices.Sort(auto)
	return append(out, auto...), nil
}

// VarFile reads a variable definitions file (.tfvars, or .tfvars.json) and
// returns where each variable is assigned. The file is read bounded and its
// nesting checked, as .tf files are.
func VarFile(fn string) (map[string]Position, error) {
	src, err := readfile.Read(fn, readfile.ConfigLimit)
	if err != nil {
		return nil, fmt.Errorf("reading variable file: %w", err)
	}
	if err := guard.HCL(src); err != nil {
		if ge := (*guard.Error)(nil); errors.As(err, &ge) {
			return nil, depthError(fn, ge)
		}
		return nil, err
	}
	p := hclparse.NewParser()
	var f *hcl.File
	var diags hcl.Diagnostics
	if strings.HasSuffix(fn, ".json") {
		f, diags = p.ParseJSON(src, fn)
	} else {
		f, diags = p.ParseHCL(src, fn)
	}
	if err := syntaxError(fn, diags); err != nil {
		return nil, err
	}
	out := map[string]Position{}
	if f == nil {
		return out, nil
	}
	attrs, diags := f.Body.JustAttributes()
	if err := syntaxError(fn, diags); err != nil {
		return nil, err
	}
	for name, a := range attrs {
		out[name] = position(a.Range, a.Range.End.Line)
	}
	return out, nil
}
