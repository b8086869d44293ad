package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"

	"github.com/lockstep-iac/lockstep/check"
	"github.com/lockstep-iac/lockstep/output"
)

// parseInput reads an --env NAME=PATH value.
func parseInput(s string) (check.Input, error) {
	in, ok := check.SplitInput(s)
	if !ok {
		msg := fmt.Sprintf("--env %q: expected NAME=PATH, for example --env staging=plans/staging.json", s)
		if !strings.Contains(s, "=") {
			// The likely intent: an environment lockstep.hcl already places.
			msg += fmt.Sprintf("; an environment whose lockstep.hcl block sets dir = \"...\" is read from that directory without --env, so leave %q out", strings.TrimSpace(s))
		}
		return check.Input{}, &check.UsageError{Msg: msg}
	}
	return in, nil
}

// parseFailOn reads --fail-on.
func parseFailOn(s string) (check.FailOn, error) {
	f, err := check.ParseFailOn(s)
	if err != nil {
		return f, &check.UsageError{Msg: fmt.Sprintf("--fail-on %q: use error, warning or never", s)}
	}
	return f, nil
}

// parseOutputs reads repeated --format FORMAT[=FILE] values. A format
// without a file goes to defaultPath (--output), or standard output when
// that is "" or "-". One run can so write text for the log, SARIF for code
// scanning and Markdown for the PR comment, but two formats cannot share a
// destination: their bytes would interleave. This catches the same text
// twice; check.Destinations.Check catches two spellings of one file.
// flags names each output as its flag gave it, for flagError.
func parseOutputs(specs []string, defaultPath string) (outs []check.Output, flags []string, err error) {
	if len(specs) == 0 {
		specs = []string{"text"}
	}
	if defaultPath == "-" {
		defaultPath = ""
	}
	used := map[string]string{}
	for _, spec := range specs {
		name, path, hasPath := strings.Cut(spec, "=")
		name = strings.TrimSpace(name)
		flag := "--format " + name
		if hasPath {
			path = strings.TrimSpace(path)
			if path == "" {
				return nil, nil, &check.UsageError{Msg: fmt.Sprintf("--format %q: give a file after =, for example --format %s=lockstep.%s, or leave =FILE out to write to standard output", spec, name, name)}
			}
			if path == "-" {
				path = ""
			} else {
				flag += "=" + path
			}
		} else {
			path = defaultPath
			if path != "" {
				flag = "--output " + path
			}
		}
		f, err := output.Lookup(name)
		if err != nil {
			return nil, nil, &check.UsageError{Msg: "--format: " + err.Error()}
		}
		if prev, ok := used[path]; ok {
			where := "standard output"
			hint := fmt.Sprintf("give one of them a file, for example --format %s=lockstep.%s", name, name)
			if path != "" {
				where = path
				hint = "give each format its own file"
			}
			return nil, nil, &check.UsageError{Msg: fmt.Sprintf("--format: %s and %s would both write to %s; %s", prev, name, where, hint)}
		}
		used[path] = name
		outs = append(outs, check.Output{Format: name, Formatter: f, Path: path})
		flags = append(flags, flag)
	}
	return outs, flags, nil
}

// parseSource parses a --source value: NAME=DIR for one environment, or DIR
// alone for every environment (workspaces of one configuration).
func parseSource(s string, into map[string]string) error {
	name, dir, ok := strings.Cut(s, "=")
	if !ok {
		name, dir = "", s
	}
	name, dir = strings.TrimSpace(name), strings.TrimSpace(dir)
	if dir == "" || (ok && name == "") {
		return &check.UsageError{Msg: fmt.Sprintf("--source %q: expected NAME=DIR (or DIR for every environment), for example --source staging=envs/staging", s)}
	}
	if prev, dup := into[name]; dup {
		who := "every environment"
		if name != "" {
			who = name
		}
		return &check.UsageError{Msg: fmt.Sprintf("--source: %s is given twice (%s and %s)", who, prev, dir)}
	}
	into[name] = dir
	return nil
}

// textWidths gives each text output its width: the terminal's when it
// goes to standard output and that is a terminal, else the renderer's
// default (output.DefaultTextWidth), so files, pipes and tests get the
// same bytes wherever they run.
func textWidths(outs []check.Output, stdout io.Writer) {
	width := 0
	if f, ok := stdout.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		if w, _, err := term.GetSize(int(f.Fd())); err == nil && w > 0 {
			width = w
		}
	}
	for i, o := range outs {
		if _, ok := o.Formatter.(output.Text); ok && o.Path == "" {
			outs[i].Formatter = output.Text{Width: width}
		}
	}
}
