package check

import (
	"bytes"
	"context"
	"errors"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lockstep-iac/lockstep/internal/testfile"

	"github.com/lockstep-iac/lockstep/output"
	"github.com/lockstep-iac/lockstep/report"
)

// testResult is a small report and input document to write.
func testResult() *Result {
	rep := &report.Report{Version: report.SchemaVersion, Environments: []report.Environment{{Name: "staging"}, {Name: "production"}}, Findings: []report.Finding{}}
	return &Result{Report: rep, Input: []byte("{\"input\": true}\n")}
}

// listDir names every file below dir, with its contents, so a test can
// assert that nothing new was left behind.
func listDir(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if e.Type()&fs.ModeSymlink != 0 {
			target, _ := os.Readlink(p)
			out[rel] = "-> " + target
			return nil
		}
		b, err := os.ReadFile(p)
		out[rel] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// failWriter fails every write, as a closed pipe would.
type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("broken pipe") }

func TestWriteOutputs(t *testing.T) {
	tests := []struct {
		name string
		// setup writes files below dir (the working directory) before the
		// run and returns the destinations.
		setup func(t *testing.T, dir string) Destinations
		// stdout replaces standard output (a failing one).
		stdout io.Writer
		// err is a substring of the error; "" for success. On error,
		// nothing below dir may have changed and no stdout be written.
		err string
		// want are files (relative to dir) and a substring each must hold
		// after a successful run.
		want map[string]string
		// breakRename makes the n-th rename (1-based) fail.
		breakRename int
	}{
		{
			name: "stdout, files and the input document",
			setup: func(t *testing.T, dir string) Destinations {
				os.Mkdir("sub", 0o755)
				return dests(t, "", []string{"text", "json=r.json", "markdown=sub/r.md"}, "input.json")
			},
			want: map[string]string{"r.json": `"version": 1`, "sub/r.md": "in parity", "input.json": `"input"`},
		},
		{
			name: "a later destination in a missing directory: nothing written",
			setup: func(t *testing.T, dir string) Destinations {
				return dests(t, "", []string{"text", "json=ok.json", "sarif=missing/x.sarif"}, "input.json")
			},
			err: "the sarif report missing/x.sarif: the directory missing does not exist",
		},
		{
			name: "an existing file is kept when a later one fails",
			setup: func(t *testing.T, dir string) Destinations {
				testfile.Write(t, "ok.json", "old")
				return dests(t, "", []string{"json=ok.json", "sarif=missing/x.sarif"}, "")
			},
			err: "the directory missing does not exist",
		},
		{
			name: "a failing rename puts back what was replaced",
			setup: func(t *testing.T, dir string) Destinations {
				testfile.Write(t, "a.json", "old a")
				testfile.Write(t, "input.json", "old input")
				return dests(t, "", []string{"text", "json=a.json", "sarif=b.sarif", "junit=c.xml"}, "input.json")
			},
			breakRename: 3,
			err:         "the junit report c.xml: rename failed",
		},
		{
			name: "a failing first rename",
			setup: func(t *testing.T, dir string) Destinations {
				return dests(t, "", []string{"json=a.json"}, "")
			},
			breakRename: 1,
			err:         "rename failed",
		},
		{
			name: "failing standard output undoes the files",
			setup: func(t *testing.T, dir string) Destinations {
				testfile.Write(t, "a.json", "old a")
				return dests(t, "", []string{"text", "json=a.json", "sarif=b.sarif"}, "input.json")
			},
			stdout: failWriter{},
			err:    "the text report on standard output: write to standard output: broken pipe",
		},
		{
			name: "the job summary is appended",
			setup: func(t *testing.T, dir string) Destinations {
				testfile.Write(t, "summary.md", "# earlier step\n")
				d := dests(t, "", []string{"github", "json=a.json"}, "")
				d.StepSummary = "summary.md"
				return d
			},
			want: map[string]string{"summary.md": "# earlier step\n\n### ✅ lockstep: staging, production are in parity"},
		},
		{
			name: "the job summary is left alone when the run fails",
			setup: func(t *testing.T, dir string) Destinations {
				testfile.Write(t, "summary.md", "# earlier step\n")
				d := dests(t, "", []string{"github", "json=a.json"}, "")
				d.StepSummary = "summary.md"
				return d
			},
			stdout: failWriter{},
			err:    "broken pipe",
		},
		{
			name: "a new job summary is removed when the run fails",
			setup: func(t *testing.T, dir string) Destinations {
				d := dests(t, "", []string{"github"}, "")
				d.StepSummary = "summary.md"
				return d
			},
			stdout: failWriter{},
			err:    "broken pipe",
		},
		{
			name: "a job summary that is a directory",
			setup: func(t *testing.T, dir string) Destinations {
				os.Mkdir("summary", 0o755)
				d := dests(t, "", []string{"github"}, "")
				d.StepSummary = "summary"
				return d
			},
			err: "the job summary summary: summary is a directory",
		},
		{
			name: "the job summary without the github format is not written",
			setup: func(t *testing.T, dir string) Destinations {
				d := dests(t, "", []string{"json=a.json"}, "")
				d.StepSummary = "summary.md"
				return d
			},
			want: map[string]string{"a.json": "{"},
		},
		{
			name: "a symbolic link is followed: its target is replaced",
			setup: func(t *testing.T, dir string) Destinations {
				os.Mkdir("reports", 0o755)
				testfile.Write(t, "reports/latest.json", "old")
				if err := os.Symlink("reports/latest.json", "r.json"); err != nil {
					t.Fatal(err)
				}
				return dests(t, "", []string{"json=r.json"}, "")
			},
			want: map[string]string{"reports/latest.json": `"version": 1`, "r.json": "-> reports/latest.json"},
		},
		{
			name: "a symbolic link to nothing",
			setup: func(t *testing.T, dir string) Destinations {
				if err := os.Symlink("nowhere/r.json", "r.json"); err != nil {
					t.Fatal(err)
				}
				return dests(t, "", []string{"text", "json=r.json"}, "")
			},
			err: "the json report r.json: r.json is a symbolic link to nowhere/r.json, which does not exist",
		},
		{
			name: "a directory",
			setup: func(t *testing.T, dir string) Destinations {
				os.Mkdir("out", 0o755)
				return dests(t, "out", []string{"json"}, "")
			},
			err: "the json report out: out is a directory; give a file",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			t.Chdir(dir)
			d := tt.setup(t, dir)
			before := listDir(t, dir)
			if tt.breakRename > 0 {
				n := 0
				rename = func(from, to string) error {
					if n++; n == tt.breakRename {
						return errors.New("rename failed")
					}
					return os.Rename(from, to)
				}
				defer func() { rename = os.Rename }()
			}
			var stdout bytes.Buffer
			var w io.Writer = &stdout
			if tt.stdout != nil {
				w = tt.stdout
			}
			err := WriteOutputs(testResult(), d, w)
			after := listDir(t, dir)
			if tt.err != "" {
				var de *DestinationError
				if !errors.As(err, &de) || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error %v, want a *DestinationError containing %q", err, tt.err)
				}
				if strings.Contains(err.Error(), "--") {
					t.Errorf("the library speaks of flags: %v", err)
				}
				if stdout.Len() > 0 {
					t.Errorf("stdout written: %q", stdout.String())
				}
				if !maps.Equal(before, after) {
					t.Errorf("the failed run changed the directory:\nbefore %q\nafter  %q", before, after)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			for name, want := range tt.want {
				if !strings.Contains(after[name], want) {
					t.Errorf("%s holds %q, want %q", name, after[name], want)
				}
			}
			for name := range after {
				if strings.Contains(name, ".lockstep-") {
					t.Errorf("temporary file %s left behind", name)
				}
			}
			for _, o := range d.Reports {
				if o.Path == "" && !strings.Contains(stdout.String(), "lockstep: no findings") {
					t.Errorf("stdout %q", stdout.String())
				}
			}
		})
	}
}

// dests builds Destinations as cmd/lockstep does, for FORMAT[=FILE] specs
// that are all valid, a format without a file going to defaultPath.
func dests(t *testing.T, defaultPath string, formats []string, dump string) Destinations {
	t.Helper()
	if len(formats) == 0 {
		formats = []string{"text"}
	}
	var outs []Output
	for _, spec := range formats {
		name, path, hasPath := strings.Cut(spec, "=")
		if !hasPath {
			path = defaultPath
		}
		f, err := output.Lookup(name)
		if err != nil {
			t.Fatal(err)
		}
		outs = append(outs, Output{Format: name, Formatter: f, Path: path})
	}
	return Destinations{Reports: outs, DumpInput: dump}
}

// TestRunDumpInputOnlyOnSuccess: the library's Run writes the input document
// only once the rules have been evaluated without error.
func TestRunDumpInputOnlyOnSuccess(t *testing.T) {
	s := "../testdata/scenarios/a-staging-only-change/"
	inputs := []Input{{Name: "staging", Path: s + "staging.plan.json"}, {Name: "production", Path: s + "production.plan.json"}}
	dir := t.TempDir()
	// A complete rule with two values (one per environment) is an
	// evaluation error, raised after the input document is built.
	testfile.Write(t, filepath.Join(dir, "p.rego"), `package main

env := input.environments[_]

deny contains env if env
`)
	dump := filepath.Join(t.TempDir(), "input.json")
	_, err := Run(context.Background(), Options{Inputs: inputs, Policy: policyOptions(dir), Outputs: Destinations{DumpInput: dump}})
	if err == nil || !strings.Contains(err.Error(), "env") {
		t.Fatalf("error %v, want an evaluation error", err)
	}
	if _, err := os.Stat(dump); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the input document written although the rules failed (%v)", err)
	}
	if _, err := Run(context.Background(), Options{Inputs: inputs, FailOn: FailOnNever, Outputs: Destinations{DumpInput: dump}}); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(dump); err != nil || !bytes.Contains(b, []byte(`"environments"`)) {
		t.Errorf("the input document: %v %.100q", err, b)
	}
}
