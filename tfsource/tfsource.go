// Package tfsource maps a Terraform address to the file:line of its
// `resource`/`data`/`module` block, and of an attribute inside it, by parsing
// the .tf sources with hcl/v2, so that findings (which plans and states only
// know by address) can be clicked through to the code in pull requests.
// Module calls are followed through .terraform/modules/modules.json when
// `terraform init` wrote one, otherwise through local `./` and `../`
// sources; addresses inside modules whose sources are not on disk fall back
// to the `module "x"` call that brings them in.
package tfsource

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/lockstep-iac/lockstep/internal/address"
	"github.com/lockstep-iac/lockstep/internal/guard"
	"github.com/lockstep-iac/lockstep/internal/readfile"
)

// Position is a 1-based source range. File is the path as built from the
// dir given to Load joined with the file's path relative to it
// (filepath.Join), not made absolute.
type Position struct {
	File    string
	Line    int
	Column  int
	EndLine int
}

// Block is one indexed block.
type Block struct {
	// Pos has Line/Column from the block's header (`resource "t" "n"`; the
	// opening brace of the body in .tf.json) and EndLine from the whole
	// block.
	Pos Position
	// Fallback is set when the address is inside a module whose sources
	// were not found; Pos is then the `module "x"` call in the caller.
	Fallback bool

	// attrs maps an attribute name, a nested block type or the label of a
	// `dynamic` block to its position; attributes win over blocks, and
	// the first block of a type wins.
	attrs map[string]Position
}

// Attribute returns the position of the attribute (or first nested block
// of that type, e.g. `lifecycle`, `ebs_block_device`, `dynamic "x"` counted
// by its label) named by a dot path, as deep as the source spells it out:
// "input.engine_version" -> the `engine_version = ...` item of the object
// written for `input` when there is one, else `input`; "tags.Name" ->
// `Name` in `tags = { Name = ... }` or `tags`; "ebs_block_device.0.size"
// -> nested block ebs_block_device; "foo[0].bar" -> foo. Line is the start
// line and EndLine the end line. ok is false when the block has no such
// attribute (e.g. computed attributes) or Fallback is set.
func (b Block) Attribute(path string) (Position, bool) {
	_, p, ok := b.AttributePath(path)
	return p, ok
}

// AttributePath is Attribute that also returns the part of path it found
// in the source ("input.engine_version", or "input" when the value is not
// an object written out in place).
func (b Block) AttributePath(path string) (string, Position, bool) {
	if b.Fallback {
		return "", Position{}, false
	}
	steps := pathSteps(path)
	for n := len(steps); n > 0; n-- {
		key := strings.Join(steps[:n], ".")
		if p, ok := b.attrs[key]; ok {
			return key, p, true
		}
	}
	return "", Position{}, false
}

// pathSteps splits a dot path into its steps, with index steps ("[0]",
// "["a"]") as their own steps so they never match a source key.
func pathSteps(path string) []string {
	var steps []string
	for _, part := range strings.Split(path, ".") {
		if i := strings.IndexByte(part, '['); i >= 0 {
			if i > 0 {
				steps = append(steps, part[:i])
			}
			steps = append(steps, part[i:])
			continue
		}
		steps = append(steps, part)
	}
	if len(steps) > 0 && steps[0] == "" {
		return nil
	}
	return steps
}

// Index holds the blocks of one root module and every module it calls.
type Index struct {
	dir  string
	root *module
	// installed maps module call keys ("app", "app.db") to directories,
	// from modules.json; nil without one.
	installed map[string]string
	// modules holds the parsed module directories by cleaned path; nil
	// for a directory that does not exist or has no Terraform files.
	modules map[string]*module
}

// module is the indexed content of one module directory, parsed once
// however often it is called.
type module struct {
	dir string
	// blocks maps "TYPE.NAME", "data.TYPE.NAME" and "ephemeral.TYPE.NAME"
	// to the block.
	blocks map[string]Block
	calls  map[string]call
	// callNames lists the calls in the order they were found, so that
	// loading is deterministic.
	callNames []string
}

type call struct {
	block  Block
	source string // literal source, "" when not a literal string
}

// Load parses every *.tf and *.tf.json file in dir (not recursive), indexes
// resource, data and module blocks, and follows module calls:
//   - when dir/.terraform/modules/modules.json exists (written by terraform
//     init), it is authoritative for the calls it lists: each entry's Key
//     ("app", "app.db" for nested calls) maps to Dir (relative to dir); this
//     covers remote modules installed under .terraform/modules as well as
//     local ones;
//   - otherwise (or for a call it does not list, i.e. added since the last
//     init) a call whose literal `source` starts with "./" or "../" is
//     followed relative to the calling module's directory;
//   - any other call (registry, git, ... not installed) is not followed:
//     Resource for addresses inside it falls back to the `module "x"` block
//     in the caller.
//
// A module directory that does not exist or holds no Terraform files, and a
// call that would make a cycle, are not followed either (same fallback); a
// syntax error in a followed module's files is an error like one in dir. Files that Terraform
// ignores (names starting with "." or ending in "~", "#...#") are skipped;
// override files (override.tf, *_override.tf and their .tf.json forms) are
// read after the others, and their attributes replace those of the block
// they override.
func Load(dir string) (*Index, error) {
	fi, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("reading Terraform sources: %w", err)
	}
	if !fi.IsDir() {
		return nil, fmt.Errorf("reading Terraform sources: %s is not a directory", dir)
	}
	installed, err := readModulesJSON(dir)
	if err != nil {
		return nil, err
	}
	p := hclparse.NewParser()
	root, err := parseDir(p, dir)
	if err != nil {
		return nil, err
	}
	if root == nil {
		return nil, fmt.Errorf("no Terraform configuration (.tf files) in %s; --source and environment.source name the directory you run terraform in", dir)
	}
	ix := &Index{dir: dir, root: root, installed: installed, modules: map[string]*module{}}
	if err := ix.loadModules(p); err != nil {
		return nil, err
	}
	return ix, nil
}

// loadModules parses, once each, every directory that modules.json lists
// and every directory that a local source names, transitively.
func (ix *Index) loadModules(p *hclparse.Parser) error {
	ix.modules[filepath.Clean(ix.dir)] = ix.root
	queue := []*module{ix.root}
	add := func(dir string) error {
		clean := filepath.Clean(dir)
		if _, done := ix.modules[clean]; done {
			return nil
		}
		ix.modules[clean] = nil
		if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
			return nil // not installed or missing: calls fall back
		}
		m, err := parseDir(p, dir)
		if err != nil {
			return err
		}
		ix.modules[clean] = m
		if m != nil {
			queue = append(queue, m)
		}
		return nil
	}
	for _, k := range slices.Sorted(maps.Keys(ix.installed)) {
		if err := add(ix.installed[k]); err != nil {
			return err
		}
	}
	for len(queue) > 0 {
		m := queue[0]
		queue = queue[1:]
		for _, name := range m.callNames {
			if src := m.calls[name].source; isLocalSource(src) {
				if err := add(filepath.Join(m.dir, filepath.FromSlash(src))); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// Resource finds the block of a resource instance address: instance keys
// ([0], ["a.b"]) are ignored everywhere, module.NAME steps are followed,
// data sources ("data.t.n", "module.m.data.t.n") included. Inside a module
// that was not followed, it returns the module call with Fallback set.
func (ix *Index) Resource(addr string) (Block, bool) {
	a, err := address.Parse(addr)
	if ix == nil || ix.root == nil || err != nil || a.Resource == nil {
		return Block{}, false
	}
	m, fallback, ok := ix.descend(a.Module)
	if !ok {
		return Block{}, false
	}
	if fallback != nil {
		return *fallback, true
	}
	res := *a.Resource
	res.Key = address.Key{}
	b, ok := m.blocks[res.String()]
	return b, ok
}

// Module finds the `module "x"` call block of a module address:
// "module.app" -> the block in the root; "module.app.module.db" -> the block
// in app's sources; instance keys ignored. When the call is inside a module
// that was not followed, it returns that module's call with Fallback set.
func (ix *Index) Module(addr string) (Block, bool) {
	a, err := address.Parse(addr)
	if ix == nil || ix.root == nil || err != nil || a.Resource != nil || len(a.Module) == 0 {
		return Block{}, false
	}
	last := len(a.Module) - 1
	m, fallback, ok := ix.descend(a.Module[:last])
	if !ok {
		return Block{}, false
	}
	if fallback != nil {
		return *fallback, true
	}
	c, ok := m.calls[a.Module[last].Name]
	return c.block, ok
}

// descend follows the module calls mods from the root. It returns the
// module reached, or the call block (with Fallback set) of the first call
// that is not followed: a remote source not installed, a missing
// directory, or a call back into a module on the way (a cycle). ok is false
// when a call does not exist.
func (ix *Index) descend(mods []address.ModuleCall) (_ *module, fallback *Block, ok bool) {
	m, key := ix.root, ""
	onPath := map[string]bool{filepath.Clean(ix.dir): true}
	for _, mc := range mods {
		name := mc.Name
		c, ok := m.calls[name]
		if !ok {
			return nil, nil, false
		}
		if key == "" {
			key = name
		} else {
			key += "." + name
		}
		dir, ok := ix.installed[key]
		if !ok && isLocalSource(c.source) {
			dir, ok = filepath.Join(m.dir, filepath.FromSlash(c.source)), true
		}
		var child *module
		if ok {
			dir = filepath.Clean(dir)
			if !onPath[dir] {
				child = ix.modules[dir]
			}
		}
		if child == nil {
			b := c.block
			b.Fallback = true
			return nil, &b, true
		}
		onPath[dir] = true
		m = child
	}
	return m, nil, true
}

// modulesJSON is .terraform/modules/modules.json as terraform init writes it.
type modulesJSON struct {
	Modules []struct {
		Key string `json:"Key"`
		Dir string `json:"Dir"`
	} `json:"Modules"`
}

// readModulesJSON reads dir/.terraform/modules/modules.json and returns its
// module directories by key, joined to dir (absolute ones kept); nil when
// the file does not exist.
func readModulesJSON(dir string) (map[string]string, error) {
	fn := filepath.Join(dir, ".terraform", "modules", "modules.json")
	if _, err := os.Lstat(fn); errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	data, err := readfile.Read(fn, readfile.ConfigLimit)
	if err != nil {
		return nil, fmt.Errorf("reading installed modules: %w", err)
	}
	var m modulesJSON
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("malformed %s (rerun terraform init): %w", fn, err)
	}
	if m.Modules == nil {
		return nil, fmt.Errorf("malformed %s (rerun terraform init): no \"Modules\" list", fn)
	}
	dirs := map[string]string{}
	for _, e := range m.Modules {
		if e.Key == "" || e.Dir == "" {
			continue // the root module, or an entry that names no directory
		}
		if _, dup := dirs[e.Key]; dup {
			continue
		}
		d := e.Dir
		if !filepath.IsAbs(d) {
			d = filepath.Join(dir, filepath.FromSlash(d))
		}
		dirs[e.Key] = d
	}
	return dirs, nil
}

func isLocalSource(src string) bool {
	return strings.HasPrefix(src, "./") || strings.HasPrefix(src, "../") ||
		strings.HasPrefix(src, `.\`) || strings.HasPrefix(src, `..\`)
}

// parseDir parses the Terraform files of dir; nil when there are none.
func parseDir(p *hclparse.Parser, dir string) (*module, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("reading Terraform sources: %w", err)
	}
	var primary, override []string
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || isIgnoredFile(name) {
			continue
		}
		base, ok := strings.CutSuffix(name, ".tf.json")
		if !ok {
			base, ok = strings.CutSuffix(name, ".tf")
		}
		if !ok {
			continue
		}
		if base == "override" || strings.HasSuffix(base, "_override") {
			override = append(override, name)
		} else {
			primary = append(primary, name)
		}
	}
	if len(primary)+len(override) == 0 {
		return nil, nil
	}
	slices.Sort(primary)
	slices.Sort(override)
	m := &module{dir: dir, blocks: map[string]Block{}, calls: map[string]call{}}
	for _, name := range primary {
		if err := parseFile(p, m, filepath.Join(dir, name), false); err != nil {
			return nil, err
		}
	}
	for _, name := range override {
		if err := parseFile(p, m, filepath.Join(dir, name), true); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// isIgnoredFile reports whether Terraform ignores a file of this name
// (hidden and editor backup files).
func isIgnoredFile(name string) bool {
	return strings.HasPrefix(name, ".") || strings.HasSuffix(name, "~") ||
		(strings.HasPrefix(name, "#") && strings.HasSuffix(name, "#"))
}

// syntaxError turns the error diagnostics of parsing fn into an error that
// names the file and the first error's position.
func syntaxError(fn string, diags hcl.Diagnostics) error {
	var errs []*hcl.Diagnostic
	for _, d := range diags {
		if d.Severity == hcl.DiagError {
			errs = append(errs, d)
		}
	}
	if len(errs) == 0 {
		return nil
	}
	d := errs[0]
	msg := d.Summary
	if d.Detail != "" {
		msg += ": " + d.Detail
	}
	where := fn
	if d.Subject != nil && d.Subject.Start.Line > 0 {
		file := d.Subject.Filename
		if file == "" {
			file = fn
		}
		where = fmt.Sprintf("%s:%d:%d", file, d.Subject.Start.Line, d.Subject.Start.Column)
	}
	if len(errs) > 1 {
		msg += fmt.Sprintf(" (and %d more errors)", len(errs)-1)
	}
	return fmt.Errorf("parsing Terraform sources: %s: %s", where, strings.ReplaceAll(msg, "\n", " "))
}

func depthError(fn string, ge *guard.Error) error {
	return fmt.Errorf("parsing Terraform sources: %s:%d:%d: %s", fn, ge.Line, ge.Column, ge.Problem)
}

// parseFile indexes the blocks of one file into m. The file is read with
// readfile (a regular file, bounded) and its nesting checked by guard
// before HCL's parser, which has no depth limit, sees it.
func parseFile(p *hclparse.Parser, m *module, fn string, isOverride bool) error {
	src, err := readfile.Read(fn, readfile.ConfigLimit)
	if err != nil {
		return fmt.Errorf("reading Terraform sources: %w", err)
	}
	if strings.HasSuffix(fn, ".json") {
		return parseJSON(p, m, fn, src, isOverride)
	}
	return parseNative(p, m, fn, src, isOverride)
}

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
		}
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

func blockKey(typ string, labels []string) string {
	k := labels[0] + "." + labels[1]
	if typ != "resource" {
		k = typ + "." + k
	}
	return k
}

func position(r hcl.Range, endLine int) Position {
	if endLine < r.Start.Line {
		endLine = r.Start.Line
	}
	return Position{File: r.Filename, Line: r.Start.Line, Column: r.Start.Column, EndLine: endLine}
}

// addBlock indexes a block; for a duplicate the first one wins, except
// that an override file's attributes replace the original's.
func (m *module) addBlock(key string, b Block, isOverride bool) {
	old, ok := m.blocks[key]
	if !ok {
		m.blocks[key] = b
		return
	}
	if isOverride {
		maps.Copy(old.attrs, b.attrs)
	}
}

func (m *module) addCall(name string, b Block, source string, isOverride bool) {
	old, ok := m.calls[name]
	if !ok {
		m.calls[name] = call{block: b, source: source}
		m.callNames = append(m.callNames, name)
		return
	}
	if isOverride {
		maps.Copy(old.block.attrs, b.attrs)
		if source != "" {
			old.source = source
			m.calls[name] = old
		}
	}
}
