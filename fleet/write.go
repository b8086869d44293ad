package fleet

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/lockstep-iac/lockstep/check"
	"github.com/lockstep-iac/lockstep/evidence"
	"github.com/lockstep-iac/lockstep/output"
)

// Destination is one --format FORMAT[=FILE]: Path "" is standard output.
type Destination struct {
	Format    string
	Formatter output.FleetFormatter
	Path      string
}

// ParseFormats reads the --format values; none means text on standard
// output. Two formats may not share a destination.
func ParseFormats(specs []string) ([]Destination, error) {
	if len(specs) == 0 {
		specs = []string{"text"}
	}
	var out []Destination
	used := map[string]string{}
	for _, spec := range specs {
		name, path, hasPath := strings.Cut(spec, "=")
		name, path = strings.TrimSpace(name), strings.TrimSpace(path)
		if hasPath && path == "" {
			return nil, &check.UsageError{Msg: fmt.Sprintf("--format %q: give a file after =, for example --format %s=report.%s", spec, name, name)}
		}
		if path == "-" {
			path = ""
		}
		f, err := output.LookupFleet(name)
		if err != nil {
			return nil, &check.UsageError{Msg: "--format: " + err.Error()}
		}
		if prev, ok := used[path]; ok {
			where := "standard output"
			if path != "" {
				where = path
			}
			return nil, &check.UsageError{Msg: fmt.Sprintf("--format: %s and %s would both write to %s; give each format its own file", prev, name, where)}
		}
		used[path] = name
		out = append(out, Destination{Format: name, Formatter: f, Path: path})
	}
	return out, nil
}

// Write renders every destination, then writes them: the JSON evidence to
// its file with FILE.sha256 beside it (in sha256sum's format), the others
// to theirs, and those without a file to stdout. A file is replaced whole
// (written beside it, then renamed), so a failed run leaves the previous
// report as it was.
func Write(d *evidence.Document, dests []Destination, stdout io.Writer) error {
	js, err := output.EvidenceJSON(d)
	if err != nil {
		return fmt.Errorf("encode the evidence: %w", err)
	}
	digest := output.Digest(js)
	type file struct {
		path string
		data []byte
	}
	var files []file
	for _, dst := range dests {
		var buf bytes.Buffer
		if dst.Format == "json" {
			buf.Write(js)
		} else if err := dst.Formatter.FormatFleet(&buf, d, digest); err != nil {
			return fmt.Errorf("render the %s report: %w", dst.Format, err)
		}
		files = append(files, file{dst.Path, buf.Bytes()})
		if dst.Format == "json" && dst.Path != "" {
			files = append(files, file{dst.Path + ".sha256", fmt.Appendf(nil, "%s  %s\n", digest, filepath.Base(dst.Path))})
		}
	}
	for _, f := range files {
		if f.path == "" {
			if _, err := stdout.Write(f.data); err != nil {
				return fmt.Errorf("write the report to standard output: %w", err)
			}
			continue
		}
		if err := replaceFile(f.path, f.data); err != nil {
			return err
		}
	}
	return nil
}

func replaceFile(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	_, werr := tmp.Write(data)
	cerr := tmp.Close()
	if err := errors.Join(werr, cerr); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
