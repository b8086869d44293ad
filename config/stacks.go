package config

import (
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// Stack is one stack "NAME" block: a Terraform configuration of the fleet
// that `lockstep report` audits, with its inputs by environment.
type Stack struct {
	Name string
	// Inputs are sorted by environment; paths are resolved like
	// Environment.Lockfile.
	Inputs []StackInput
	// Config is the stack's own lockstep.hcl, resolved likewise; "" when
	// not set.
	Config string
	Range  hcl.Range
}

// StackInput is one environment's input of a stack.
type StackInput struct {
	Environment, Path string
}

var (
	stackSchema = &hcl.BodySchema{
		Attributes: []hcl.AttributeSchema{{Name: "inputs", Required: true}, {Name: "config"}},
	}
	stacksSchema = &hcl.BodySchema{
		Attributes: []hcl.AttributeSchema{{Name: "patterns", Required: true}},
	}
)

func (d *decoder) decodeStack(blk *hcl.Block, filename string) (Stack, bool) {
	content, diags := blk.Body.Content(stackSchema)
	d.diags = append(d.diags, diags...)
	name, ok := d.label(blk, "name")
	s := Stack{Name: name, Range: blk.DefRange}
	if content == nil {
		return s, false
	}
	if attr, has := content.Attributes["inputs"]; has {
		if v, vok := d.value(attr); vok {
			if (!v.Type().IsObjectType() && !v.Type().IsMapType()) || v.IsNull() || v.LengthInt() == 0 {
				d.errorf(attr.Expr.Range(), "Invalid inputs", "inputs maps each environment to its input file, for example inputs = { staging = \"exports/payments/staging.tfstate\" }.")
				ok = false
			} else {
				for it := v.ElementIterator(); it.Next(); {
					k, e := it.Element()
					if e.IsNull() || !e.IsKnown() || e.Type() != cty.String || strings.TrimSpace(e.AsString()) == "" {
						d.errorf(attr.Expr.Range(), "Invalid inputs", "the input of environment %q must be a non-empty path string.", k.AsString())
						ok = false
						continue
					}
					s.Inputs = append(s.Inputs, StackInput{Environment: k.AsString(), Path: resolvePath(filename, e.AsString())})
				}
				sort.Slice(s.Inputs, func(i, j int) bool { return s.Inputs[i].Environment < s.Inputs[j].Environment })
			}
		}
	}
	if attr, has := content.Attributes["config"]; has {
		if path, _, pok := d.nonEmpty(attr, "it names the stack's own lockstep.hcl"); pok {
			s.Config = resolvePath(filename, path)
		}
	}
	return s, ok
}

// decodeStacks reads a stacks block: the patterns, resolved like paths.
func (d *decoder) decodeStacks(blk *hcl.Block, filename string) []string {
	content, diags := blk.Body.Content(stacksSchema)
	d.diags = append(d.diags, diags...)
	if content == nil {
		return nil
	}
	attr, has := content.Attributes["patterns"]
	if !has {
		return nil
	}
	list, _, ok := d.stringList(attr)
	if !ok {
		return nil
	}
	if len(list) == 0 {
		d.errorf(attr.Expr.Range(), "Empty patterns", "patterns must list at least one pattern with {stack} and {env}, for example patterns = [\"exports/{stack}/{env}.tfstate\"].")
	}
	var out []string
	for _, p := range list {
		out = append(out, resolvePath(filename, p))
	}
	return out
}
