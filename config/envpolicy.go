package config

import (
	"github.com/hashicorp/hcl/v2"
)

// EnvPolicy is lockstep.hcl's env_policy block: check's --env-policy
// directories (policies written for one plan or state, conftest's), and
// conftest's choice of packages, kept with the environments they judge.
type EnvPolicy struct {
	// Dirs are the policy and data directories, relative to the config
	// file's directory as written, resolved.
	Dirs []string
	// Namespaces are packages or globs (--namespace); none means main.
	Namespaces []string
	// AllNamespaces is --all-namespaces.
	AllNamespaces bool
	// Range is the block header.
	Range hcl.Range
}

var envPolicySchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{{Name: "dirs"}, {Name: "namespaces"}, {Name: "all_namespaces"}},
}

// decodeEnvPolicy reads an env_policy block; a file has at most one.
func (d *decoder) decodeEnvPolicy(blk *hcl.Block, filename string, prev *EnvPolicy) *EnvPolicy {
	if prev != nil {
		d.errorf(blk.DefRange, "Duplicate env_policy block",
			"An env_policy block was already declared on line %d; list every directory in the dirs of one block.", prev.Range.Start.Line)
		return prev
	}
	ep := &EnvPolicy{Range: blk.DefRange}
	content, diags := blk.Body.Content(envPolicySchema)
	d.diags = append(d.diags, diags...)
	if content == nil {
		return ep
	}
	if attr := d.required(blk, content, "dirs", "it names the directories of the policies to evaluate per environment"); attr != nil {
		list, _, ok := d.stringList(attr)
		if ok && len(list) == 0 {
			d.errorf(attr.Expr.Range(), "Empty directory list", "dirs must name at least one directory of policies; remove the block to load none.")
		}
		for _, dir := range list {
			ep.Dirs = append(ep.Dirs, resolvePath(filename, dir))
		}
	}
	if attr, ok := content.Attributes["namespaces"]; ok {
		ep.Namespaces, _, _ = d.stringList(attr)
	}
	if attr, ok := content.Attributes["all_namespaces"]; ok {
		ep.AllNamespaces, _ = d.bool(attr)
	}
	return ep
}
