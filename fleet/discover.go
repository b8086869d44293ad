// Package fleet runs `lockstep report`: it discovers the stacks of a fleet
// from input patterns, runs each stack's environments through the same
// pipeline as `lockstep check` (package check, as a library, with one rule
// engine for the whole run), a bounded number of stacks at a time, and
// assembles the evidence document (package evidence) that every format of
// the report is rendered from. A stack that cannot be read is recorded as
// such and the others go on; only a mistake in how the report was asked
// for stops the run.
package fleet

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/lockstep-iac/lockstep/check"
	"github.com/lockstep-iac/lockstep/config"
	"github.com/lockstep-iac/lockstep/workdir"
)

// Stack is one discovered stack: its inputs by environment, and its own
// lockstep.hcl when one lies in its directory.
type Stack struct {
	Name   string
	Inputs []check.Input
	// Config is the stack's own lockstep.hcl, or "".
	Config string
}

// Placeholders of an --inputs pattern.
const (
	StackPlaceholder = "{stack}"
	EnvPlaceholder   = "{env}"
)

// Discover expands the patterns into stacks, sorted by name, each with its
// environments sorted by name (the config's promotion orders them later).
// A pattern without both placeholders, or one that matches nothing, is a
// usage error: a report that silently audits nothing is worse than none.
func Discover(patterns []string) ([]Stack, error) {
	if len(patterns) == 0 {
		return nil, &check.UsageError{Msg: "lockstep report needs stacks: --inputs PATTERN (for example --inputs 'exports/{stack}/{env}.tfstate'), or stack and stacks blocks in lockstep.hcl"}
	}
	byName := map[string]*Stack{}
	for _, p := range patterns {
		if strings.Count(p, StackPlaceholder) != 1 || strings.Count(p, EnvPlaceholder) != 1 {
			return nil, &check.UsageError{Msg: fmt.Sprintf("--inputs %q: a pattern has {stack} and {env} once each, for example --inputs 'exports/{stack}/{env}.tfstate'", p)}
		}
		// Glob returns clean paths: match them against a clean pattern.
		p := filepath.Clean(p)
		re, err := patternRegexp(p)
		if err != nil {
			return nil, &check.UsageError{Msg: fmt.Sprintf("--inputs %q: %v", p, err)}
		}
		glob := strings.NewReplacer(StackPlaceholder, "*", EnvPlaceholder, "*").Replace(p)
		paths, err := filepath.Glob(glob)
		if err != nil {
			return nil, &check.UsageError{Msg: fmt.Sprintf("--inputs %q: %v", p, err)}
		}
		matched := 0
		for _, path := range paths {
			m := re.FindStringSubmatch(filepath.ToSlash(path))
			if m == nil {
				continue
			}
			// A directory is an input when it is a Terraform working
			// directory (check reads it through workdir); any other
			// directory is not.
			if info, err := os.Stat(path); err == nil && info.IsDir() && !workdir.IsRootModule(path) {
				continue
			}
			name, env := m[re.SubexpIndex("stack")], m[re.SubexpIndex("env")]
			s := byName[name]
			if s == nil {
				s = &Stack{Name: name, Config: stackConfig(p, name)}
				byName[name] = s
			}
			for _, in := range s.Inputs {
				if in.Name == env {
					return nil, &check.UsageError{Msg: fmt.Sprintf("stack %q has two inputs for environment %q: %s and %s; make the --inputs patterns match one file per stack and environment", name, env, in.Path, path)}
				}
			}
			s.Inputs = append(s.Inputs, check.Input{Name: env, Path: path})
			matched++
		}
		if matched == 0 {
			return nil, &check.UsageError{Msg: fmt.Sprintf("--inputs %q matches no file; check the path (relative to %s) and that the exports exist", p, workingDir())}
		}
	}
	out := make([]Stack, 0, len(byName))
	for _, s := range byName {
		sort.Slice(s.Inputs, func(i, j int) bool { return s.Inputs[i].Name < s.Inputs[j].Name })
		out = append(out, *s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// fleetStacks are the stacks of the --inputs patterns and of the config's
// stacks blocks, and the config's stack blocks, sorted by name. A stack
// may be declared or found, not both: two sets of inputs for one stack
// would be a guess.
func fleetStacks(patterns []string, cfg *config.Config) ([]Stack, error) {
	var declared []config.Stack
	if cfg != nil {
		patterns = append(slices.Clip(patterns), cfg.StackPatterns...)
		declared = cfg.Stacks
	}
	if len(patterns) == 0 && len(declared) == 0 {
		return Discover(nil)
	}
	var out []Stack
	if len(patterns) > 0 {
		found, err := Discover(patterns)
		if err != nil {
			return nil, err
		}
		out = found
	}
	for _, d := range declared {
		if slices.ContainsFunc(out, func(s Stack) bool { return s.Name == d.Name }) {
			return nil, &check.UsageError{Msg: fmt.Sprintf("stack %q is declared in %s and also found by a pattern; declare it or let the pattern find it", d.Name, cfg.Filename)}
		}
		st := Stack{Name: d.Name, Config: d.Config}
		for _, in := range d.Inputs {
			st.Inputs = append(st.Inputs, check.Input{Name: in.Environment, Path: in.Path})
		}
		out = append(out, st)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// patternRegexp matches a path the pattern's glob found and captures the
// stack and the environment: each one path element's worth of text.
func patternRegexp(p string) (*regexp.Regexp, error) {
	var b strings.Builder
	b.WriteString("^")
	rest := filepath.ToSlash(p)
	for rest != "" {
		i := strings.IndexByte(rest, '{')
		if i < 0 {
			b.WriteString(globRegexp(rest))
			break
		}
		b.WriteString(globRegexp(rest[:i]))
		rest = rest[i:]
		switch {
		case strings.HasPrefix(rest, StackPlaceholder):
			b.WriteString(`(?P<stack>[^/]+)`)
			rest = rest[len(StackPlaceholder):]
		case strings.HasPrefix(rest, EnvPlaceholder):
			b.WriteString(`(?P<env>[^/]+)`)
			rest = rest[len(EnvPlaceholder):]
		default:
			b.WriteString(regexp.QuoteMeta("{"))
			rest = rest[1:]
		}
	}
	b.WriteString("$")
	return regexp.Compile(b.String())
}

// globRegexp is the regular expression of a glob without placeholders.
func globRegexp(g string) string {
	var b strings.Builder
	for _, r := range g {
		switch r {
		case '*':
			b.WriteString(`[^/]*`)
		case '?':
			b.WriteString(`[^/]`)
		default:
			b.WriteString(regexp.QuoteMeta(string(r)))
		}
	}
	return b.String()
}

// stackConfig is the lockstep.hcl in the stack's own directory: the path
// of the pattern up to the element holding {stack}, when that does not
// depend on the environment.
func stackConfig(pattern, name string) string {
	i := strings.Index(pattern, StackPlaceholder)
	end := strings.IndexAny(pattern[i:], `/\`)
	if end < 0 {
		return ""
	}
	dir := pattern[:i+end]
	if strings.Contains(dir, EnvPlaceholder) {
		return ""
	}
	path := filepath.Join(strings.Replace(dir, StackPlaceholder, name, 1), check.DefaultConfigFile)
	if info, err := os.Stat(path); err == nil && info.Mode().IsRegular() {
		return path
	} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
		// Something is there but unreadable: let the stack's run report it.
		return path
	}
	return ""
}

func workingDir() string {
	wd, err := os.Getwd()
	if err != nil {
		return "the working directory"
	}
	return wd
}
