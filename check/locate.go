package check

import (
	"github.com/lockstep-iac/lockstep/config"

	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/lockstep-iac/lockstep/report"
	"github.com/lockstep-iac/lockstep/tfsource"
)

// sourceDirs decides each environment's configuration directory:
// Options.Sources (by environment name or alias; "" for every environment)
// over lockstep.hcl's environment.source over the directory an environment
// is read from (a root module: its .tf files are the configuration that
// made the state). Other environments without one get no locations.
func sourceDirs(inputs []Input, opts Options, cfg *config.Config) (map[string]string, error) {
	dirs := map[string]string{}
	for _, in := range inputs {
		if isWorkdir(in.Path) {
			dirs[in.Name] = in.Path
		}
		if cfg != nil {
			if d := cfg.Source(in.Name); d != "" {
				dirs[in.Name] = d
			}
		}
	}
	for name, dir := range opts.Sources {
		if name == "" {
			for _, in := range inputs {
				dirs[in.Name] = dir
			}
		}
	}
	for name, dir := range opts.Sources {
		if name == "" {
			continue
		}
		env, ok := envNamed(inputs, cfg, name)
		if !ok {
			return nil, &UnknownEnvironmentError{Option: "Sources", Name: name, Dir: dir}
		}
		dirs[env] = dir
	}
	return dirs, nil
}

// envNamed finds the input an environment name or alias refers to.
func envNamed(inputs []Input, cfg *config.Config, name string) (string, bool) {
	for _, in := range inputs {
		if in.Name == name {
			return in.Name, true
		}
		if cfg != nil {
			if e := cfg.Environment(name); e != nil && cfg.Environment(in.Name) == e {
				return in.Name, true
			}
		}
	}
	return "", false
}

// loadSources parses each distinct configuration directory once (workspaces
// share one).
func loadSources(dirs map[string]string) (map[string]*tfsource.Index, error) {
	byDir := map[string]*tfsource.Index{}
	out := map[string]*tfsource.Index{}
	for env, dir := range dirs {
		ix, ok := byDir[dir]
		if !ok {
			var err error
			if ix, err = tfsource.Load(dir); err != nil {
				return nil, fmt.Errorf("environment %s: %w", env, err)
			}
			byDir[dir] = ix
		}
		out[env] = ix
	}
	return out, nil
}

// locate points every finding at its block (and the attribute it names) in
// each environment's sources: one location per distinct position, so
// workspaces sharing a configuration give one and a directory per
// environment gives one each.
func locate(findings []report.Finding, indexes map[string]*tfsource.Index) {
	if len(indexes) == 0 {
		return
	}
	wd, _ := os.Getwd()
	for i := range findings {
		f := &findings[i]
		var locs []report.Location
		for _, env := range f.Environments {
			ix := indexes[env]
			if ix == nil {
				continue
			}
			loc, ok := locateIn(ix, f, env)
			if !ok {
				continue
			}
			loc.File = displayPath(wd, loc.File)
			merged := false
			for j := range locs {
				l := &locs[j]
				if l.File == loc.File && l.Line == loc.Line && l.Column == loc.Column && l.EndLine == loc.EndLine && l.Attribute == loc.Attribute {
					l.Environments = append(l.Environments, env)
					merged = true
					break
				}
			}
			if !merged {
				loc.Environments = []string{env}
				locs = append(locs, loc)
			}
		}
		if len(locs) == 0 {
			continue
		}
		f.Locations = locs
		if f.Location == nil {
			first := locs[0]
			f.Location = &first
		}
	}
}

// locateIn finds one finding's position in one environment's sources.
func locateIn(ix *tfsource.Index, f *report.Finding, env string) (report.Location, bool) {
	addr := f.Address
	if a := f.Details.Addresses[env]; a != "" {
		addr = a
	}
	var block tfsource.Block
	var ok bool
	switch {
	case addr != "":
		block, ok = ix.Resource(addr)
	case f.Details.Version != nil && strings.HasPrefix(f.Details.Version.Kind, "module-"):
		block, ok = ix.Module(f.Details.Version.Name)
	}
	if !ok {
		return report.Location{}, false
	}
	loc := report.Location{File: block.Pos.File, Line: block.Pos.Line, Column: block.Pos.Column, EndLine: block.Pos.EndLine}
	if path := attributePath(f, env); path != "" {
		if name, pos, found := block.AttributePath(path); found {
			loc = report.Location{File: pos.File, Line: pos.Line, Column: pos.Column, EndLine: pos.EndLine, Attribute: name}
		}
	}
	return loc, true
}

// attributePath is the attribute a finding names in env: the referencing
// value's path for cross-env-reference (env's own, else the referencing
// environment's, so that workspaces sharing a block share one location),
// else the first differing path.
func attributePath(f *report.Finding, env string) string {
	for _, r := range f.Details.References {
		if r.Env == env {
			return r.Path
		}
	}
	if len(f.Details.References) > 0 {
		return f.Details.References[0].Path
	}
	if len(f.Details.Attributes) > 0 {
		return f.Details.Attributes[0].Path
	}
	return ""
}

// displayPath makes a source path relative to the working directory when it
// lies below it, with forward slashes: a repository-relative path when
// lockstep runs at the repository root, which SARIF and GitHub annotations
// need.
func displayPath(wd, p string) string {
	if wd != "" && filepath.IsAbs(p) {
		if rel, err := filepath.Rel(wd, p); err == nil && !strings.HasPrefix(rel, "..") {
			p = rel
		}
	}
	return filepath.ToSlash(filepath.Clean(p))
}
