package check

import (
	"fmt"
	"os"

	"github.com/lockstep-iac/lockstep/config"
	"github.com/lockstep-iac/lockstep/report"
	"github.com/lockstep-iac/lockstep/tfsource"
)

// locateValues adds to every finding whose attribute comes from a root
// module variable where each environment sets that variable: with
// workspaces and var files, the module line `image = var.image` is the same
// for every environment, and the fix belongs on a line of dev.tfvars or
// production.tfvars. The value's location follows Terraform's precedence:
// the last of lockstep.hcl's var_files that sets it, else the last
// *.auto.tfvars (after terraform.tfvars), else the variable's default. An
// environment whose vars in lockstep.hcl set the variable gets none (that
// value is not in a file). The locations come after the code locations, so
// the first location (what GitHub shows) is unchanged.
func locateValues(findings []report.Finding, indexes map[string]*tfsource.Index, cfg *config.Config) error {
	if len(indexes) == 0 {
		return nil
	}
	wd, _ := os.Getwd()
	files := varFiles{parsed: map[string]map[string]tfsource.Position{}, auto: map[string][]string{}}
	for i := range findings {
		f := &findings[i]
		var locs []report.Location
		for _, env := range f.Environments {
			ix := indexes[env]
			path := attributePath(f, env)
			if ix == nil || path == "" {
				continue
			}
			addr := f.Address
			if a := f.Details.Addresses[env]; a != "" {
				addr = a
			}
			name, ok := ix.RootVariable(addr, path)
			if !ok {
				continue
			}
			loc, ok, err := files.valueOf(ix, environment(cfg, env), name)
			if err != nil {
				return fmt.Errorf("environment %s: %w", env, err)
			}
			if !ok {
				continue
			}
			loc.File = displayPath(wd, loc.File)
			locs = mergeLocation(locs, loc, env)
		}
		if len(locs) == 0 {
			continue
		}
		if len(f.Locations) == 0 && f.Location != nil {
			f.Locations = []report.Location{*f.Location}
		}
		f.Locations = append(f.Locations, locs...)
		if f.Location == nil {
			first := f.Locations[0]
			f.Location = &first
		}
	}
	return nil
}

// mergeLocation adds env's loc to locs, or env to the same position.
func mergeLocation(locs []report.Location, loc report.Location, env string) []report.Location {
	for j := range locs {
		l := &locs[j]
		if l.File == loc.File && l.Line == loc.Line && l.Column == loc.Column && l.Variable == loc.Variable {
			l.Environments = append(l.Environments, env)
			return locs
		}
	}
	loc.Environments = []string{env}
	return append(locs, loc)
}

// varFiles caches, for the run, each variable file's assignments and each
// source directory's automatic variable files: a large plan has many
// findings, each looked up in every environment.
type varFiles struct {
	parsed map[string]map[string]tfsource.Position
	auto   map[string][]string
}

func (v varFiles) read(fn string) (map[string]tfsource.Position, error) {
	if got, ok := v.parsed[fn]; ok {
		return got, nil
	}
	got, err := tfsource.VarFile(fn)
	if err != nil {
		return nil, err
	}
	v.parsed[fn] = got
	return got, nil
}

func (v varFiles) autoFiles(dir string) ([]string, error) {
	if got, ok := v.auto[dir]; ok {
		return got, nil
	}
	got, err := tfsource.AutoVarFiles(dir)
	if err != nil {
		return nil, err
	}
	v.auto[dir] = got
	return got, nil
}

// valueOf is where the environment's value of root variable name is set.
func (v varFiles) valueOf(ix *tfsource.Index, e *config.Environment, name string) (report.Location, bool, error) {
	if e != nil {
		if _, set := e.Vars[name]; set {
			return report.Location{}, false, nil
		}
	}
	auto, err := v.autoFiles(ix.Dir())
	if err != nil {
		return report.Location{}, false, err
	}
	order := auto
	if e != nil {
		// A new slice: auto is the cache's.
		order = append(append([]string(nil), auto...), e.VarFiles...)
	}
	for i := len(order) - 1; i >= 0; i-- {
		assigned, err := v.read(order[i])
		if err != nil {
			return report.Location{}, false, err
		}
		if p, ok := assigned[name]; ok {
			return valueLocation(p, name), true, nil
		}
	}
	if b, ok := ix.Variable(name); ok {
		if p, ok := b.Attribute("default"); ok {
			return valueLocation(p, name), true, nil
		}
	}
	return report.Location{}, false, nil
}

func valueLocation(p tfsource.Position, name string) report.Location {
	return report.Location{File: p.File, Line: p.Line, Column: p.Column, EndLine: p.EndLine, Attribute: name, Variable: name}
}
