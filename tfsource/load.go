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

	"github.com/lockstep-iac/lockstep/internal/guard"
	"github.com/lockstep-iac/lockstep/internal/readfile"
)

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
