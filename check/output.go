package check

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/lockstep-iac/lockstep/report"
)

// Output is one rendering of the report: a format and where it goes.
type Output struct {
	Format    string
	Formatter report.Formatter
	// Path is the file to write; "" is standard output.
	Path string
}

// ParseOutputs reads repeated --format FORMAT[=FILE] values. A format
// without a file goes to defaultPath (--output), or standard output when
// that is "" or "-". One run can so write text for the log, SARIF for code
// scanning and Markdown for the PR comment, but two formats cannot share a
// destination: their bytes would interleave.
func ParseOutputs(specs []string, defaultPath string) ([]Output, error) {
	if len(specs) == 0 {
		specs = []string{"text"}
	}
	if defaultPath == "-" {
		defaultPath = ""
	}
	var outs []Output
	used := map[string]string{}
	for _, spec := range specs {
		name, path, hasPath := strings.Cut(spec, "=")
		name = strings.TrimSpace(name)
		if hasPath {
			path = strings.TrimSpace(path)
			if path == "" {
				return nil, &UsageError{Msg: fmt.Sprintf("--format %q: give a file after =, for example --format %s=lockstep.%s, or leave =FILE out to write to standard output", spec, name, name)}
			}
			if path == "-" {
				path = ""
			}
		} else {
			path = defaultPath
		}
		f, err := report.Lookup(name)
		if err != nil {
			return nil, &UsageError{Msg: "--format: " + err.Error()}
		}
		if prev, ok := used[path]; ok {
			where := "standard output"
			hint := fmt.Sprintf("give one of them a file, for example --format %s=lockstep.%s", name, name)
			if path != "" {
				where = path
				hint = "give each format its own file"
			}
			return nil, &UsageError{Msg: fmt.Sprintf("--format: %s and %s would both write to %s; %s", prev, name, where, hint)}
		}
		used[path] = name
		outs = append(outs, Output{Format: name, Formatter: f, Path: path})
	}
	return outs, nil
}

// WriteOutputs renders every output before writing any, so a rendering
// error leaves no half-written set of files behind.
func WriteOutputs(rep *report.Report, outs []Output, stdout io.Writer) error {
	bufs := make([]bytes.Buffer, len(outs))
	for i, o := range outs {
		if err := o.Formatter.Format(&bufs[i], rep); err != nil {
			return fmt.Errorf("render %s: %w", o.Format, err)
		}
	}
	for i, o := range outs {
		if o.Path == "" {
			if _, err := stdout.Write(bufs[i].Bytes()); err != nil {
				return fmt.Errorf("write %s report: %w", o.Format, err)
			}
			continue
		}
		if err := os.WriteFile(o.Path, bufs[i].Bytes(), 0o644); err != nil {
			return fmt.Errorf("write %s report: %w", o.Format, err)
		}
	}
	return nil
}

// ParseSource parses a --source value: NAME=DIR for one environment, or DIR
// alone for every environment (workspaces of one configuration).
func ParseSource(s string, into map[string]string) error {
	name, dir, ok := strings.Cut(s, "=")
	if !ok {
		name, dir = "", s
	}
	name, dir = strings.TrimSpace(name), strings.TrimSpace(dir)
	if dir == "" || (ok && name == "") {
		return &UsageError{Msg: fmt.Sprintf("--source %q: expected NAME=DIR (or DIR for every environment), for example --source staging=envs/staging", s)}
	}
	if prev, dup := into[name]; dup {
		who := "every environment"
		if name != "" {
			who = name
		}
		return &UsageError{Msg: fmt.Sprintf("--source: %s is given twice (%s and %s)", who, prev, dir)}
	}
	into[name] = dir
	return nil
}
