package policy

import (
	"fmt"
	"io/fs"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/lockstep-iac/lockstep/internal/parallel"
	"github.com/lockstep-iac/lockstep/report"
	"github.com/lockstep-iac/lockstep/rules"
)

// BuiltinModules parses the built-in rules and lib (tests excluded), keyed
// by their path under rules/; `lockstep test` loads them beside user tests.
func BuiltinModules() (map[string]*ast.Module, error) {
	return loadModules(rules.FS)
}

// loadModules parses the modules side by side: parsing is about half of
// building the engine in a fresh process, and the engine is what a check
// of small inputs waits for.
func loadModules(fsys fs.FS) (map[string]*ast.Module, error) {
	var paths []string
	err := fs.WalkDir(fsys, ".", func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".rego") && !strings.HasSuffix(path, "_test.rego") {
			paths = append(paths, path)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	parsed := make([]*ast.Module, len(paths))
	errs := make([]error, len(paths))
	parallel.Each(len(paths), func(i int) {
		src, err := fs.ReadFile(fsys, paths[i])
		if err == nil {
			parsed[i], err = ast.ParseModuleWithOpts(paths[i], string(src), ast.ParserOptions{ProcessAnnotation: true})
		}
		errs[i] = err
	})
	modules := make(map[string]*ast.Module, len(paths))
	for i, path := range paths {
		if errs[i] != nil {
			return nil, errs[i] // the first in walk order, as one after another
		}
		modules[path] = parsed[i]
	}
	return modules, nil
}

func ruleMeta(file string, m *ast.Module) (Rule, error) {
	for _, a := range m.Annotations {
		if a.Scope != "package" {
			continue
		}
		r := Rule{Title: a.Title, Description: strings.TrimSpace(a.Description), Package: m.Package.Path.String(), File: file}
		r.ID = builtinID(r.Package)
		if id, ok := a.Custom["id"]; ok && id != r.ID {
			return r, fmt.Errorf("%s: custom.id %v disagrees with the id %q that package %s gives; a built-in rule's id is its package's last name with - for _: remove custom.id",
				file, id, r.ID, strings.TrimPrefix(r.Package, "data."))
		}
		severity, _ := a.Custom["severity"].(string)
		r.Stage, _ = a.Custom["stage"].(string)
		if r.Stage != "" && r.Stage != StageWaivers {
			return r, fmt.Errorf("%s: custom.stage must be absent or %q, not %q", file, StageWaivers, r.Stage)
		}
		if rem, ok := a.Custom["remediation"].(string); ok {
			r.Remediation = strings.TrimSpace(rem)
		}
		if r.ID == "" || r.Title == "" || r.Description == "" || r.Remediation == "" {
			return r, fmt.Errorf("%s: package METADATA needs title, description and custom.remediation", file)
		}
		var err error
		if r.Severity, err = report.ParseSeverity(severity); err != nil {
			return r, fmt.Errorf("%s: custom.severity must be error or warning, not %q", file, severity)
		}
		return r, nil
	}
	return Rule{}, fmt.Errorf("%s: no package-scope # METADATA", file)
}

// builtinID derives a built-in rule's id from its package, as regal does:
// data.lockstep.rules.one_sided_change is one-sided-change. The package (and
// its directory, which must match it) is then the one place the id is
// written; lib.rule_id derives it the same way for the findings' rule field.
func builtinID(pkg string) string {
	return strings.ReplaceAll(pkg[strings.LastIndexByte(pkg, '.')+1:], "_", "-")
}

// BuiltinData is the data document lockstep adds to every policy's `data`,
// its own rules' included: the texts a rule shows that Go defines, so that
// Rego never spells its own copy of a contract. data.lockstep.constants
// is reserved like the built-in packages.
func BuiltinData() map[string]any {
	return map[string]any{"lockstep": map[string]any{"constants": map[string]any{
		// The one spelling of a hidden value, as parity and every output
		// show it.
		"sensitive_text": report.SensitiveText,
	}}}
}
