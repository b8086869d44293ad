package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/lockstep-iac/lockstep/internal/golden"
)

// w is the issue 17 scenario: three workspaces of one configuration, each
// planned with its own var file.
var w = filepath.Join(scenarios, "w-workspaces-tfvars")

// wArgs checks dev, staging and production of scenario w from files of the
// given kind, with config (a file in the scenario) unless it is "".
func wArgs(ext, config string, more ...string) []string {
	args := []string{"check", "--as-of", asOf}
	for _, env := range []string{"dev", "staging", "production"} {
		args = append(args, "--env", env+"="+filepath.Join(w, env+"."+ext))
	}
	if config != "" {
		args = append(args, "--config", filepath.Join(w, config))
	}
	return append(args, more...)
}

// wNoConfig are scenario w's findings without declarations.
var wNoConfig = strings.Join([]string{
	`attribute-divergence module.app["api"].module.sidecar.terraform_data.agent`,
	`attribute-divergence module.app["api"].terraform_data.deployment`,
	`attribute-divergence module.app["web"].module.sidecar.terraform_data.agent`,
	`attribute-divergence module.app["web"].terraform_data.deployment`,
	"missing-resource terraform_data.audit[0]",
	"missing-resource terraform_data.debug_tools[0]",
}, "\n")

// TestScopedDeclarations runs scenario w without a config, with
// lockstep.hcl (environment-scoped expect_difference blocks, ** and quoted
// keys) and with several-only-in.hcl (two only_in blocks for one
// resource). With lockstep.hcl the one difference left is the one scoping
// exists for: staging and production run different images while dev's
// newer image is declared. Golden: text for plans, JSON for every kind.
func TestScopedDeclarations(t *testing.T) {
	tests := []struct {
		name, config string
		want         string // the (rule address) pairs, one per line
	}{
		{"no-config", "", wNoConfig},
		{"scoped", "lockstep.hcl", strings.Join([]string{
			`attribute-divergence module.app["api"].terraform_data.deployment`,
			`attribute-divergence module.app["web"].terraform_data.deployment`,
		}, "\n")},
		{"several-only-in", "several-only-in.hcl", "missing-resource terraform_data.audit[0]"},
		// Item 6: sources and var files; the findings are no-config's, each
		// value found also where each environment sets it.
		{"sources", "sources.hcl", wNoConfig},
	}
	for _, tt := range tests {
		for _, k := range kinds {
			t.Run(tt.name+"/"+k.name, func(t *testing.T) {
				code, out, errOut := runCLI(t, append(wArgs(k.ext, tt.config), "--format", "json")...)
				if code != 1 || errOut != "" {
					t.Errorf("exit %d, stderr %q; want 1 and nothing", code, errOut)
				}
				if got := findingPairs(t, out); got != tt.want {
					t.Errorf("findings:\n%s\nwant:\n%s", got, tt.want)
				}
				golden.Assert(t, filepath.Join("w-workspaces-tfvars", tt.name, k.name+".json"), []byte(out))
			})
		}
		t.Run(tt.name+"/text", func(t *testing.T) {
			_, out, _ := runCLI(t, wArgs("plan.json", tt.config)...)
			golden.Assert(t, filepath.Join("w-workspaces-tfvars", tt.name, "plan.txt"), []byte(out))
		})
	}
}

// findingPairs lists a JSON report's findings as "rule address" lines.
func findingPairs(t *testing.T, out string) string {
	t.Helper()
	var rep jsonReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out)
	}
	var got []string
	for _, f := range rep.Findings {
		got = append(got, f.Rule+" "+f.Address)
	}
	return strings.Join(got, "\n")
}

// TestScopeErrors: a scope naming an environment that is neither declared
// nor in the run, and a malformed deep pattern, are config errors at
// file:line:column, exit 2, with no report.
func TestScopeErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name, src string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	block := func(envs, attrs string) string {
		return "expect_difference \"images\" {\n  resources    = [\"module.app[*].terraform_data.deployment\"]\n  attributes   = " + attrs +
			"\n  environments = " + envs + "\n  reason       = \"dev runs newer images\"\n}\n"
	}
	declared := "environment \"dev\" {}\nenvironment \"staging\" {}\nenvironment \"production\" {}\n"
	tests := []struct {
		name, src string
		want      []string
	}{
		{"undeclared", declared + block(`["dve"]`, `["*.image"]`),
			[]string{"undeclared.hcl:7:19: Undeclared environment", `Did you mean "dev"?`}},
		{"not in the run", block(`["dev", "qa"]`, `["*.image"]`),
			[]string{"not in the run.hcl:4:26: Unknown environment", `lists "qa" in environments, which is not one of this run's environments`}},
		{"bad deep pattern", block(`["dev"]`, `["**image"]`),
			[]string{"bad deep pattern.hcl:3:19: Invalid attribute path pattern", "mixes ** with other characters"}},
		{"unclosed quoted key", block(`["dev"]`, `["labels.\"app.kubernetes.io"]`),
			[]string{"unclosed quoted key.hcl:3:19: Invalid attribute path pattern", "is not closed"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := write(tt.name+".hcl", tt.src)
			code, out, errOut := runCLI(t, wArgs("plan.json", "", "--config", cfg)...)
			if code != 2 || out != "" {
				t.Errorf("exit %d, stdout %q; want 2 and nothing", code, out)
			}
			for _, s := range tt.want {
				if !strings.Contains(errOut, s) {
					t.Errorf("stderr lacks %q:\n%s", s, errOut)
				}
			}
		})
	}
}

// TestValueLocations: with sources.hcl, a finding whose value comes from a
// root variable (through one or two module calls) also points at the line
// that sets it in each environment: its var file, common.auto.tfvars when
// no var file sets it, in Terraform's order. SARIF carries them as related
// locations, linked from the message. A var file that does not exist is an
// input error, exit 2.
func TestValueLocations(t *testing.T) {
	_, out, errOut := runCLI(t, wArgs("plan.json", "sources.hcl", "--format", "sarif")...)
	if errOut != "" {
		t.Errorf("stderr: %s", errOut)
	}
	golden.Assert(t, filepath.Join("w-workspaces-tfvars", "sources", "plan.sarif"), []byte(out))

	_, out, _ = runCLI(t, wArgs("plan.json", "sources.hcl", "--format", "json")...)
	var rep struct {
		Findings []struct {
			Address   string
			Locations []struct {
				File, Variable string
				Line           int
				Environments   []string
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	got := map[string][]string{}
	for _, f := range rep.Findings {
		for _, l := range f.Locations {
			if l.Variable != "" {
				got[f.Address] = append(got[f.Address], fmt.Sprintf("%s %s:%d %s", l.Variable, filepath.Base(l.File), l.Line, strings.Join(l.Environments, ",")))
			}
		}
	}
	want := map[string][]string{
		`module.app["api"].terraform_data.deployment`: {"image dev.tfvars:1 dev", "image staging.tfvars:1 staging", "image production.tfvars:1 production"},
		`module.app["web"].terraform_data.deployment`: {"image dev.tfvars:1 dev", "image staging.tfvars:1 staging", "image production.tfvars:1 production"},
		// dev.tfvars (-var-file) wins over common.auto.tfvars.
		`module.app["api"].module.sidecar.terraform_data.agent`: {"log_level dev.tfvars:4 dev", "log_level common.auto.tfvars:2 staging,production"},
		`module.app["web"].module.sidecar.terraform_data.agent`: {"log_level dev.tfvars:4 dev", "log_level common.auto.tfvars:2 staging,production"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("value locations:\n got %q\nwant %q", got, want)
	}

	dir := t.TempDir()
	cfg := filepath.Join(dir, "missing-var-file.hcl")
	src := "environment \"dev\" {\n  source = \"" + filepath.ToSlash(filepath.Join(absDir(t, w), "config")) + "\"\n  var_files = [\"nope.tfvars\"]\n}\nenvironment \"staging\" {}\nenvironment \"production\" {}\n"
	if err := os.WriteFile(cfg, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCLI(t, wArgs("plan.json", "", "--config", cfg)...)
	if code != 2 || out != "" || !strings.Contains(errOut, "environment dev") || !strings.Contains(errOut, "nope.tfvars") {
		t.Errorf("missing var file: exit %d, stdout %q, stderr %q; want 2, nothing, and the file named", code, out, errOut)
	}
}

func absDir(t *testing.T, dir string) string {
	t.Helper()
	a, err := filepath.Abs(dir)
	if err != nil {
		t.Fatal(err)
	}
	return a
}
