package check

import (
	"errors"
	"io"
	"maps"
	"os"
	"strings"
	"testing"

	"github.com/lockstep-iac/lockstep/internal/testfile"

	"github.com/lockstep-iac/lockstep/config"
)

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
			err: "the json report ./s.json and the sarif report s.json would both write to ./s.json; give each its own file",
		},
		{
			name: "a directory and its symbolic link",
			setup: func(t *testing.T) (Options, Destinations) {
				os.Mkdir("out", 0o755)
				os.Symlink("out", "link")
				return Options{}, dests(t, "", []string{"json=out/r", "sarif=link/r"}, "")
			},
			err: "the json report out/r and the sarif report link/r would both write to out/r",
		},
		{
			name: "--dump-input and a format",
			setup: func(t *testing.T) (Options, Destinations) {
				return Options{}, dests(t, "", []string{"json=x.json"}, "./x.json")
			},
			err: "the json report x.json and the input document file ./x.json would both write to x.json",
		},
		{
			name: "--output and a format",
			setup: func(t *testing.T) (Options, Destinations) {
				return Options{}, dests(t, "r", []string{"json", "sarif=./r"}, "")
			},
			err: "the json report r and the sarif report ./r would both write to r",
		},
		{
			name: "the job summary and a markdown file",
			setup: func(t *testing.T) (Options, Destinations) {
				d := dests(t, "", []string{"github", "markdown=summary.md"}, "")
				d.StepSummary = "./summary.md"
				return Options{}, d
			},
			err: "the markdown report summary.md and the job summary ./summary.md would both write to summary.md",
		},
		{
			name: "the --env file itself",
			setup: func(t *testing.T) (Options, Destinations) {
				testfile.Write(t, "s.json", "{}")
				return envOpts("s.json", "p.json"), dests(t, "", []string{"json=./s.json"}, "")
			},
			err: "the json report ./s.json would overwrite environment staging's input s.json, which this run reads; write to another file",
		},
		{
			name: "a symbolic link to an input",
			setup: func(t *testing.T) (Options, Destinations) {
				os.Mkdir("plans", 0o755)
				testfile.Write(t, "plans/p.json", "{}")
				os.Symlink("plans/p.json", "out.json")
				return envOpts("s.json", "plans/p.json"), dests(t, "", []string{"sarif=out.json"}, "")
			},
			err: "the sarif report out.json would overwrite environment production's input plans/p.json",
		},
		{
			name: "a hard link to an input",
			setup: func(t *testing.T) (Options, Destinations) {
				testfile.Write(t, "p.json", "{}")
				if err := os.Link("p.json", "out.json"); err != nil {
					t.Skip(err)
				}
				return envOpts("s.json", "p.json"), dests(t, "", []string{"json=out.json"}, "")
			},
			err: "the json report out.json would overwrite environment production's input p.json",
		},
		{
			name: "--dump-input over an input",
			setup: func(t *testing.T) (Options, Destinations) {
				testfile.Write(t, "s.json", "{}")
				return envOpts("s.json", "p.json"), dests(t, "", nil, "s.json")
			},
			err: "the input document file s.json would overwrite environment staging's input s.json",
		},
		{
			name: "the lock file beside an input",
			setup: func(t *testing.T) (Options, Destinations) {
				os.Mkdir("envs", 0o755)
				testfile.Write(t, "envs/.terraform.lock.hcl", "")
				return envOpts("envs/s.json", "p.json"), dests(t, "", []string{"junit=envs/.terraform.lock.hcl"}, "")
			},
			err: "the junit report envs/.terraform.lock.hcl would overwrite staging's lock file envs/.terraform.lock.hcl",
		},
		{
			name: "lockstep.hcl",
			setup: func(t *testing.T) (Options, Destinations) {
				testfile.Write(t, "lockstep.hcl", "")
				return envOpts("s.json", "p.json"), dests(t, "lockstep.hcl", []string{"markdown"}, "")
			},
			cfg: &config.Config{Filename: "lockstep.hcl"},
			err: "the markdown report lockstep.hcl would overwrite the config file lockstep.hcl",
		},
		{
			name: "a Terraform source",
			setup: func(t *testing.T) (Options, Destinations) {
				os.Mkdir("infra", 0o755)
				testfile.Write(t, "infra/main.tf", "")
				o := envOpts("s.json", "p.json")
				o.Sources = map[string]string{"": "infra"}
				return o, dests(t, "", []string{"json=infra/main.tf"}, "")
			},
			err: "the json report infra/main.tf would overwrite the Terraform source infra/main.tf",
		},
		{
			name: "a policy data document",
			setup: func(t *testing.T) (Options, Destinations) {
				os.MkdirAll("policies/data", 0o755)
				testfile.Write(t, "policies/data/allowed.json", "{}")
				o := envOpts("s.json", "p.json")
				o.Policy.PolicyDirs = []string{"policies"}
				return o, dests(t, "", []string{"json=policies/data/allowed.json"}, "")
			},
			err: "the json report policies/data/allowed.json would overwrite the policy file policies/data/allowed.json (in policies)",
		},
		{
			name: "distinct files",
			setup: func(t *testing.T) (Options, Destinations) {
				testfile.Write(t, "s.json", "{}")
				testfile.Write(t, "old.json", "{}")
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
			var ce *ConflictError
			var oe *OverwriteError
			var de *DestinationError
			if !(errors.As(err, &ce) || errors.As(err, &oe) || errors.As(err, &de)) || !strings.Contains(err.Error(), tt.err) {
				t.Fatalf("error %v, want a typed error containing %q", err, tt.err)
			}
			if strings.Contains(err.Error(), "--") {
				t.Errorf("the library speaks of flags: %v", err)
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
