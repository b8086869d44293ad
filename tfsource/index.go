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
	"maps"
	"path/filepath"
	"strings"

	"github.com/lockstep-iac/lockstep/internal/address"
)

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
	// variables maps the names of `variable` blocks to them.
	variables map[string]Block
	// callNames lists the calls in the order they were found, so that
	// loading is deterministic.
	callNames []string
}

type call struct {
	block  Block
	source string // literal source, "" when not a literal string
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

func blockKey(typ string, labels []string) string {
	k := labels[0] + "." + labels[1]
	if typ != "resource" {
		k = typ + "." + k
	}
	return k
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
		m.blocks[key] = overrideVars(old, b)
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
		old.block = overrideVars(old.block, b)
		if source != "" {
			old.source = source
		}
		m.calls[name] = old
	}
}

// overrideVars gives old the variable references of override: an
// attribute the override sets is no longer what old wrote.
func overrideVars(old, override Block) Block {
	vars := map[string]string{}
	for k, v := range old.vars {
		top, _, _ := strings.Cut(k, ".")
		if _, replaced := override.attrs[top]; !replaced {
			vars[k] = v
		}
	}
	maps.Copy(vars, override.vars)
	old.vars = vars
	return old
}
