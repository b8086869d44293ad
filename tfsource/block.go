package tfsource

import (
	"strings"

	"github.com/hashicorp/hcl/v2"
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
	// vars maps the keys of attrs written as exactly var.NAME to NAME
	// (native syntax only).
	vars map[string]string
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

func position(r hcl.Range, endLine int) Position {
	if endLine < r.Start.Line {
		endLine = r.Start.Line
	}
	return Position{File: r.Filename, Line: r.Start.Line, Column: r.Start.Column, EndLine: endLine}
}
