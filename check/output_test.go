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

	"github.com/lockstep-iac/lockstep/config"
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
			err: "--format sarif=missing/x.sarif: the directory missing does not exist",
		},
		{
			name: "an existing file is kept when a later one fails",
			setup: func(t *testing.T, dir string) Destinations {
				writeFile(t, "ok.json", "old")
				return dests(t, "", []string{"json=ok.json", "sarif=missing/x.sarif"}, "")
			},
			err: "the directory missing does not exist",
		},
		{
			name: "a failing rename puts back what was replaced",
			setup: func(t *testing.T, dir string) Destinations {
				writeFile(t, "a.json", "old a")
				writeFile(t, "input.json", "old input")
				return dests(t, "", []string{"text", "json=a.json", "sarif=b.sarif", "junit=c.xml"}, "input.json")
			},
			breakRename: 3,
			err:         "--format junit=c.xml: rename failed",
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
				writeFile(t, "a.json", "old a")
				return dests(t, "", []string{"text", "json=a.json", "sarif=b.sarif"}, "input.json")
			},
			stdout: failWriter{},
			err:    "--format text: write to standard output: broken pipe",
		},
		{
			name: "the job summary is appended",
			setup: func(t *testing.T, dir string) Destinations {
				writeFile(t, "summary.md", "# earlier step\n")
				d := dests(t, "", []string{"github", "json=a.json"}, "")
				d.StepSummary = "summary.md"
				return d
			},
			want: map[string]string{"summary.md": "# earlier step\n\n### ✅ lockstep: staging, production are in parity"},
		},
		{
			name: "the job summary is left alone when the run fails",
			setup: func(t *testing.T, dir string) Destinations {
				writeFile(t, "summary.md", "# earlier step\n")
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
			err: "the job summary $GITHUB_STEP_SUMMARY (summary) that --format github appends to: summary is a directory",
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
				writeFile(t, "reports/latest.json", "old")
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
			err: "--format json=r.json: r.json is a symbolic link to nowhere/r.json, which does not exist",
		},
		{
			name: "a directory",
			setup: func(t *testing.T, dir string) Destinations {
				os.Mkdir("out", 0o755)
				return dests(t, "out", []string{"json"}, "")
			},
			err: "--output out: out is a directory; give a file",
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
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error %v, want one containing %q", err, tt.err)
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
		flag := "--format " + spec
		if !hasPath {
			path, flag = defaultPath, "--format "+name
			if path != "" {
				flag = "--output " + path
			}
		}
		f, err := output.Lookup(name)
		if err != nil {
			t.Fatal(err)
		}
		outs = append(outs, Output{Format: name, Formatter: f, Path: path, Flag: flag})
	}
	return Destinations{Reports: outs, DumpInput: dump}
}

// TestRunDumpInputOnlyOnSuccess: the library's Run writes --dump-input
// only once the rules have been evaluated without error.
func TestRunDumpInputOnlyOnSuccess(t *testing.T) {
	s := "../testdata/scenarios/a-staging-only-change/"
	inputs := []Input{{Name: "staging", Path: s + "staging.plan.json"}, {Name: "production", Path: s + "production.plan.json"}}
	dir := t.TempDir()
	// A complete rule with two values (one per environment) is an
	// evaluation error, raised after the input document is built.
	writeFile(t, filepath.Join(dir, "p.rego"), `package main

env := input.environments[_]

deny contains env if env
`)
	dump := filepath.Join(t.TempDir(), "input.json")
	_, err := Run(context.Background(), Options{Inputs: inputs, Policy: policyOptions(dir), Outputs: Destinations{DumpInput: dump}})
	if err == nil || !strings.Contains(err.Error(), "env") {
		t.Fatalf("error %v, want an evaluation error", err)
	}
	if _, err := os.Stat(dump); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("--dump-input written although the rules failed (%v)", err)
	}
	if _, err := Run(context.Background(), Options{Inputs: inputs, FailOn: FailOnNever, Outputs: Destinations{DumpInput: dump}}); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(dump); err != nil || !bytes.Contains(b, []byte(`"environments"`)) {
		t.Errorf("--dump-input: %v %.100q", err, b)
	}
}

func TestDestinationsCheck(t *testing.T) {
	tests := []struct {
		name string
		// setup writes the inputs below the working directory and
		// returns the run's options and its destinations.
		setup func(t *testing.T) (Options, Destinations)
		// cfg is the run's lockstep.hcl, nil for none.
		cfg *config.Config
		// err is a substring of the usage error; "" for none.
		err string
	}{
		{
			name: "two spellings of one new file",
			setup: func(t *testing.T) (Options, Destinations) {
				return Options{}, dests(t, "", []string{"json=./s.json", "sarif=s.json"}, "")
			},
			err: "--format json=./s.json and --format sarif=s.json would both write to ./s.json; give each its own file",
		},
		{
			name: "a directory and its symbolic link",
			setup: func(t *testing.T) (Options, Destinations) {
				os.Mkdir("out", 0o755)
				os.Symlink("out", "link")
				return Options{}, dests(t, "", []string{"json=out/r", "sarif=link/r"}, "")
			},
			err: "--format json=out/r and --format sarif=link/r would both write to out/r",
		},
		{
			name: "--dump-input and a format",
			setup: func(t *testing.T) (Options, Destinations) {
				return Options{}, dests(t, "", []string{"json=x.json"}, "./x.json")
			},
			err: "--format json=x.json and --dump-input ./x.json would both write to x.json",
		},
		{
			name: "--output and a format",
			setup: func(t *testing.T) (Options, Destinations) {
				return Options{}, dests(t, "r", []string{"json", "sarif=./r"}, "")
			},
			err: "--output r and --format sarif=./r would both write to r",
		},
		{
			name: "the job summary and a markdown file",
			setup: func(t *testing.T) (Options, Destinations) {
				d := dests(t, "", []string{"github", "markdown=summary.md"}, "")
				d.StepSummary = "./summary.md"
				return Options{}, d
			},
			err: "--format markdown=summary.md and the job summary $GITHUB_STEP_SUMMARY (./summary.md) that --format github appends to would both write to summary.md",
		},
		{
			name: "the --env file itself",
			setup: func(t *testing.T) (Options, Destinations) {
				writeFile(t, "s.json", "{}")
				return envOpts("s.json", "p.json"), dests(t, "", []string{"json=./s.json"}, "")
			},
			err: "--format json=./s.json would overwrite --env staging=s.json, which this run reads; write to another file",
		},
		{
			name: "a symbolic link to an input",
			setup: func(t *testing.T) (Options, Destinations) {
				os.Mkdir("plans", 0o755)
				writeFile(t, "plans/p.json", "{}")
				os.Symlink("plans/p.json", "out.json")
				return envOpts("s.json", "plans/p.json"), dests(t, "", []string{"sarif=out.json"}, "")
			},
			err: "--format sarif=out.json would overwrite --env production=plans/p.json",
		},
		{
			name: "a hard link to an input",
			setup: func(t *testing.T) (Options, Destinations) {
				writeFile(t, "p.json", "{}")
				if err := os.Link("p.json", "out.json"); err != nil {
					t.Skip(err)
				}
				return envOpts("s.json", "p.json"), dests(t, "", []string{"json=out.json"}, "")
			},
			err: "--format json=out.json would overwrite --env production=p.json",
		},
		{
			name: "--dump-input over an input",
			setup: func(t *testing.T) (Options, Destinations) {
				writeFile(t, "s.json", "{}")
				return envOpts("s.json", "p.json"), dests(t, "", nil, "s.json")
			},
			err: "--dump-input s.json would overwrite --env staging=s.json",
		},
		{
			name: "the lock file beside an input",
			setup: func(t *testing.T) (Options, Destinations) {
				os.Mkdir("envs", 0o755)
				writeFile(t, "envs/.terraform.lock.hcl", "")
				return envOpts("envs/s.json", "p.json"), dests(t, "", []string{"junit=envs/.terraform.lock.hcl"}, "")
			},
			err: "--format junit=envs/.terraform.lock.hcl would overwrite staging's lock file envs/.terraform.lock.hcl",
		},
		{
			name: "lockstep.hcl",
			setup: func(t *testing.T) (Options, Destinations) {
				writeFile(t, "lockstep.hcl", "")
				return envOpts("s.json", "p.json"), dests(t, "lockstep.hcl", []string{"markdown"}, "")
			},
			cfg: &config.Config{Filename: "lockstep.hcl"},
			err: "--output lockstep.hcl would overwrite the config file lockstep.hcl",
		},
		{
			name: "a Terraform source",
			setup: func(t *testing.T) (Options, Destinations) {
				os.Mkdir("infra", 0o755)
				writeFile(t, "infra/main.tf", "")
				o := envOpts("s.json", "p.json")
				o.Sources = map[string]string{"": "infra"}
				return o, dests(t, "", []string{"json=infra/main.tf"}, "")
			},
			err: "--format json=infra/main.tf would overwrite the Terraform source infra/main.tf (--source)",
		},
		{
			name: "a policy data document",
			setup: func(t *testing.T) (Options, Destinations) {
				os.MkdirAll("policies/data", 0o755)
				writeFile(t, "policies/data/allowed.json", "{}")
				o := envOpts("s.json", "p.json")
				o.Policy.PolicyDirs = []string{"policies"}
				return o, dests(t, "", []string{"json=policies/data/allowed.json"}, "")
			},
			err: "--format json=policies/data/allowed.json would overwrite the policy file policies/data/allowed.json (--policy policies)",
		},
		{
			name: "distinct files",
			setup: func(t *testing.T) (Options, Destinations) {
				writeFile(t, "s.json", "{}")
				writeFile(t, "old.json", "{}")
				return envOpts("s.json", "p.json"), dests(t, "", []string{"text", "json=old.json", "sarif=s.sarif"}, "input.json")
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Chdir(t.TempDir())
			opts, d := tt.setup(t)
			err := d.Check(opts, tt.cfg)
			if tt.err == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			var ue *UsageError
			if !errors.As(err, &ue) || !strings.Contains(err.Error(), tt.err) {
				t.Fatalf("error %v, want a usage error containing %q", err, tt.err)
			}
			// WriteOutputs refuses too, and writes nothing.
			before := listDir(t, ".")
			res := testResult()
			res.inputs = inputFiles(opts, tt.cfg)
			if err := WriteOutputs(res, d, io.Discard); err == nil {
				t.Error("WriteOutputs wrote")
			}
			if after := listDir(t, "."); !maps.Equal(before, after) {
				t.Errorf("WriteOutputs changed the directory")
			}
		})
	}
}

func envOpts(staging, production string) Options {
	return Options{Inputs: []Input{{Name: "staging", Path: staging}, {Name: "production", Path: production}}}
}
