package baseline

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"

	"github.com/lockstep-iac/lockstep/check"
	"github.com/lockstep-iac/lockstep/config"
	"github.com/lockstep-iac/lockstep/internal/golden"
	"github.com/lockstep-iac/lockstep/policy"
)

const scenarios = "../testdata/scenarios/"

// TestGenerate runs init on real Terraform fixtures: the file is the golden
// one and the same on a second run, it never holds a secret, and a check of
// the same inputs with it reports no attribute-divergence or
// missing-resource finding and no declaration that matches nothing: only
// the TODO reasons and what Generate says remains.
func TestGenerate(t *testing.T) {
	secrets, err := os.ReadFile(scenarios + "secrets.txt")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		inputs []check.Input
	}{
		{"init-three-workspaces", []check.Input{{Name: "development", Path: scenarios + "init-three-workspaces/dev.plan.json"},
			{Name: "staging", Path: scenarios + "init-three-workspaces/stg.plan.json"}, {Name: "production", Path: scenarios + "init-three-workspaces/prod.plan.json"}}},
		{"a-staging-only-change", pair("a-staging-only-change", "state.json")},
		{"d-declared-differences", pair("d-declared-differences", "tfstate")},
		{"b-pr-changes-staging-only", pair("b-pr-changes-staging-only", "plan.json")},
		{"e-cross-env-reference", pair("e-cross-env-reference", "plan.json")},
		{"g-shared-secret", pair("g-shared-secret", "plan.json")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opts := Options{Check: check.Options{Inputs: tc.inputs}, Path: "lockstep.hcl"}
			res, err := Generate(context.Background(), opts)
			if err != nil {
				t.Fatal(err)
			}
			golden.Assert(t, tc.name+".hcl", res.File)
			summary := res.Summary("lockstep.hcl")
			golden.Assert(t, tc.name+".txt", []byte(summary))
			again, err := Generate(context.Background(), opts)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(again.File, res.File) {
				t.Error("a second run wrote another file")
			}
			for _, s := range strings.Fields(string(secrets)) {
				if bytes.Contains(res.File, []byte(s)) || strings.Contains(summary, s) {
					t.Errorf("a secret from secrets.txt is in the file or the summary")
				}
			}
			roundTrip(t, res, opts)
		})
	}
}

func pair(scenario, ext string) []check.Input {
	return []check.Input{{Name: "staging", Path: scenarios + scenario + "/staging." + ext},
		{Name: "production", Path: scenarios + scenario + "/production." + ext}}
}

// roundTrip loads the file as lockstep check would and checks the inputs
// with it: what it reports is every block's TODO reason and the findings
// Generate returned as remaining, nothing else.
func roundTrip(t *testing.T, res *Result, opts Options) {
	t.Helper()
	cfg, err := config.Parse(res.File, "lockstep.hcl", config.Options{})
	if err != nil {
		t.Fatalf("the file does not load: %v", err)
	}
	engine, err := policy.New(context.Background(), policy.Options{})
	if err != nil {
		t.Fatal(err)
	}
	out, err := check.Evaluate(context.Background(), opts.Check, engine, cfg)
	if err != nil {
		t.Fatal(err)
	}
	todo := 0
	var other []string
	for _, f := range out.Report.Findings {
		switch f.Rule {
		case "unreviewed-declaration":
			todo++
		case ruleDivergence, ruleMissing, "unused-declaration":
			t.Errorf("after init: %s %s: %s", f.Rule, f.Address, f.Message)
		default:
			other = append(other, f.Rule+" "+f.Address)
		}
	}
	if todo != len(res.Declarations) {
		t.Errorf("%d TODO warnings for %d blocks", todo, len(res.Declarations))
	}
	if len(other) != len(res.Remaining) {
		t.Errorf("a check reports %v, init said %d remain", other, len(res.Remaining))
	}
}

// TestReadmeShowsGolden: the generated file the README shows is the one
// init writes for that fixture today.
func TestReadmeShowsGolden(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile("testdata/golden/init-three-workspaces.hcl")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(readme, append(append([]byte("```hcl\n"), want...), "```\n"...)) {
		t.Error("README.md does not show testdata/golden/init-three-workspaces.hcl as it is; copy it into the README's lockstep init section")
	}
}
