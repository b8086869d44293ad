package check

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lockstep-iac/lockstep/internal/testfile"

	"github.com/lockstep-iac/lockstep/policy"
	"github.com/lockstep-iac/lockstep/report"
)

// userPolicy reads both halves of the input: matched resources (facts) and
// one environment's values (env), and prints, so that under -race the
// built-in rules running in parallel with it would show any shared state.
const userPolicy = `package lockstep.test

# METADATA
# custom:
#   id: engine-parity
deny contains msg if {
	some r in input.resources
	some a in r.attributes
	a.path == "input.engine_version"
	a.differs_after
	msg := {"msg": sprintf("engine differs on %s", [r.address]), "address": r.address, "environments": ["staging", "production"]}
}

warn_password_shown contains msg if {
	some e in input.environments
	some addr, r in input.env[e].resources
	r.after.input.password
	r.after.input.password != "(sensitive)"
	msg := sprintf("%s's %s shows its password", [e, addr])
}

warn contains msg if {
	some addr in input.env.production.by_type.terraform_data
	r := input.env.production.resources[addr]
	r.type != "terraform_data"
	msg := "by_type is wrong"
}
`

func TestUserPolicy(t *testing.T) {
	dir := t.TempDir()
	testfile.Write(t, filepath.Join(dir, "p.rego"), userPolicy)
	for _, kind := range []string{"plan.json", "state.json", "tfstate"} {
		t.Run(kind, func(t *testing.T) {
			s := "../testdata/scenarios/a-staging-only-change/"
			dump := filepath.Join(t.TempDir(), "input.json")
			rep, err := Run(context.Background(), Options{
				FailOn:  FailOnNever,
				Inputs:  []Input{{Name: "staging", Path: s + "staging." + kind}, {Name: "production", Path: s + "production." + kind}},
				Policy:  policyOptions(dir),
				Outputs: Destinations{DumpInput: dump},
			})
			if err != nil {
				t.Fatal(err)
			}
			var user []report.Finding
			for _, f := range rep.Findings {
				if !strings.Contains(f.Rule, "-divergence") && f.Rule != "missing-resource" {
					user = append(user, f)
				}
			}
			if len(user) != 1 || user[0].Rule != "engine-parity" || user[0].Severity != "error" || user[0].Address != "terraform_data.db" {
				t.Errorf("user findings %+v, want one engine-parity error on terraform_data.db", user)
			}
			b, err := os.ReadFile(dump)
			if err != nil {
				t.Fatal(err)
			}
			for _, secret := range secrets(t) {
				if strings.Contains(string(b), secret) {
					t.Errorf("--dump-input wrote a password from secrets.txt")
				}
			}
			if !strings.Contains(string(b), `"input.password": "`) {
				t.Error("--dump-input lacks now_sensitive/after_sensitive paths")
			}
		})
	}
}

func secrets(t *testing.T) []string {
	b, err := os.ReadFile("../testdata/scenarios/secrets.txt")
	if err != nil {
		t.Fatal(err)
	}
	return strings.Fields(string(b))
}

func policyOptions(dirs ...string) policy.Options { return policy.Options{PolicyDirs: dirs} }

// TestDumpInputHasNoSecrets: the input document of every scenario and kind,
// as --dump-input writes it, holds none of the scenarios' passwords.
func TestDumpInputHasNoSecrets(t *testing.T) {
	dirs, err := filepath.Glob("../testdata/scenarios/*-*")
	if err != nil || len(dirs) < 8 {
		t.Fatalf("scenarios: %v %v", dirs, err)
	}
	for _, d := range dirs {
		for _, kind := range []string{"plan.json", "state.json", "tfstate"} {
			dump := filepath.Join(t.TempDir(), "input.json")
			inputs := []Input{{Name: "staging", Path: d + "/staging." + kind}, {Name: "production", Path: d + "/production." + kind}}
			if _, err := os.Stat(inputs[0].Path); err != nil {
				// A scenario with other environments (init-three-workspaces).
				files, _ := filepath.Glob(d + "/*." + kind)
				inputs = nil
				for _, f := range files {
					inputs = append(inputs, Input{Name: strings.TrimSuffix(filepath.Base(f), "."+kind), Path: f})
				}
			}
			_, err := Run(context.Background(), Options{
				FailOn:  FailOnNever,
				Inputs:  inputs,
				Outputs: Destinations{DumpInput: dump},
			})
			if err != nil {
				t.Fatalf("%s %s: %v", d, kind, err)
			}
			b, err := os.ReadFile(dump)
			if err != nil {
				t.Fatal(err)
			}
			for _, secret := range secrets(t) {
				if strings.Contains(string(b), secret) {
					t.Errorf("%s %s: --dump-input wrote a password from secrets.txt", d, kind)
				}
			}
		}
	}
}
