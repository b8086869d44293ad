package config

import (
	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

// liveAttributes are the environment arguments for reading it from a
// Terraform working directory (package workdir): which workspace, which
// directory, and how to plan it.
var liveAttributes = []hcl.AttributeSchema{{Name: "workspace"}, {Name: "dir"}, {Name: "plan"}, {Name: "var_files"}, {Name: "vars"}}

// decodeLive reads those arguments; dir and var_files are relative to the
// config file, like lockfile and source.
func (d *decoder) decodeLive(env *Environment, content *hcl.BodyContent, filename string) {
	if attr, has := content.Attributes["workspace"]; has {
		if ws, _, valid := d.nonEmpty(attr, "it names the Terraform workspace to read; remove the argument to use the environment's name"); valid {
			env.Workspace = ws
		}
	}
	if attr, has := content.Attributes["dir"]; has {
		if path, rng, valid := d.nonEmpty(attr, "it names the Terraform working directory to read the environment from; remove the argument to give it with --env"); valid {
			env.Dir, env.DirRange = resolvePath(filename, path), rng
		}
	}
	if attr, has := content.Attributes["plan"]; has {
		if v, ok := d.value(attr); ok {
			b, err := convert.Convert(v, cty.Bool)
			if err != nil {
				d.errorf(attr.Expr.Range(), "Incorrect attribute value type", "Inappropriate value for argument %q: true or false is required.", attr.Name)
			} else {
				env.Plan = b.True()
			}
		}
	}
	if attr, has := content.Attributes["var_files"]; has {
		if list, _, ok := d.stringList(attr); ok {
			for _, f := range list {
				env.VarFiles = append(env.VarFiles, resolvePath(filename, f))
			}
		}
	}
	if attr, has := content.Attributes["vars"]; has {
		v, ok := d.value(attr)
		if !ok {
			return
		}
		if !v.Type().IsObjectType() && !v.Type().IsMapType() {
			d.errorf(attr.Expr.Range(), "Incorrect attribute value type", "Inappropriate value for argument %q: a map of variable values is required, as for -var NAME=VALUE.", attr.Name)
			return
		}
		env.Vars = map[string]string{}
		for it := v.ElementIterator(); it.Next(); {
			k, ev := it.Element()
			s, err := convert.Convert(ev, cty.String)
			if err != nil || ev.IsNull() {
				d.errorf(attr.Expr.Range(), "Incorrect attribute value type", "The value of variable %q in %q must be a string, number or bool, as Terraform's -var takes; write other values in HCL syntax inside a string.", k.AsString(), attr.Name)
				continue
			}
			env.Vars[k.AsString()] = s.AsString()
		}
	}
}
