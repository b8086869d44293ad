package parity_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/lockstep-iac/lockstep/parity"
	"github.com/lockstep-iac/lockstep/parser"

	"github.com/lockstep-iac/lockstep/internal/golden"
)

const scenariosDir = "../testdata/scenarios"

var scenarioNames = []string{
	"a-staging-only-change",
	"b-pr-changes-staging-only",
	"c-promotion-after",
	"c-promotion-before",
	"d-declared-differences",
}

type addressPrefix string

func (p addressPrefix) Match(address string) bool { return strings.HasPrefix(address, string(p)) }

// scenarioFacts parses a scenario's staging and production files of one
// kind (plan.json, state.json or tfstate) and builds their facts as
// lockstep.hcl of scenario d would, with --target production.
func scenarioFacts(t *testing.T, scenario, ext string) *parity.Facts {
	t.Helper()
	key := []byte("parity-scenario-key")
	var envs []parity.Env
	for _, name := range []string{"staging", "production"} {
		s, err := parser.ReadFile(filepath.Join(scenariosDir, scenario, name+"."+ext), parser.Options{Key: key})
		if err != nil {
			t.Fatal(err)
		}
		var aliases []string
		if name == "production" {
			aliases = []string{"prod"}
		}
		envs = append(envs, parity.Env{Name: name, Aliases: aliases, Snapshot: s})
	}
	opts := parity.Options{Envs: envs, Target: "production"}
	if scenario == "d-declared-differences" {
		opts.Declared = []parity.Declared{{
			Resources:  []parity.AddressMatcher{addressPrefix("module.app.terraform_data.web[")},
			Attributes: []parity.PathMatcher{pathIs("input.size"), pathIs("output.size")},
		}}
		opts.OnlyIn = []parity.OnlyIn{{Env: "production", Resources: []parity.AddressMatcher{addressPrefix("terraform_data.shield[")}}}
	}
	f, err := parity.Build(opts)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func secrets(t *testing.T) []string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(scenariosDir, "secrets.txt"))
	if err != nil {
		t.Fatal(err)
	}
	out := strings.Fields(string(b))
	if len(out) < 10 {
		t.Fatalf("secrets.txt lists only %d secrets", len(out))
	}
	return out
}

// TestScenarioFactsHideSecrets: no facts document built from any scenario
// file kind contains a password in clear text.
func TestScenarioFactsHideSecrets(t *testing.T) {
	pw := secrets(t)
	for _, sc := range scenarioNames {
		for _, ext := range []string{"plan.json", "state.json", "tfstate"} {
			t.Run(sc+"/"+ext, func(t *testing.T) {
				b, err := json.Marshal(scenarioFacts(t, sc, ext))
				if err != nil {
					t.Fatal(err)
				}
				for _, p := range pw {
					if strings.Contains(string(b), p) {
						t.Errorf("facts contain the secret %q", p)
					}
				}
			})
		}
	}
}

func TestScenarioFactsGolden(t *testing.T) {
	for _, sc := range scenarioNames {
		t.Run(sc, func(t *testing.T) {
			golden.Assert(t, sc+".facts.json", []byte(mustJSON(t, scenarioFacts(t, sc, "plan.json"))))
		})
	}
}

func TestScenarioFacts(t *testing.T) {
	t.Run("a-staging-only-change", func(t *testing.T) {
		f := scenarioFacts(t, "a-staging-only-change", "plan.json")
		db := resource(t, f, "terraform_data.db")
		for _, p := range []string{"input.engine_version", "output.engine_version"} {
			a := attr(t, db, p)
			if !a.DiffersNow || !a.DiffersAfter || len(a.Changed) != 0 || a.Now["staging"] != "15.4" || a.Now["production"] != "14.9" {
				t.Errorf("%s: %+v", p, a)
			}
		}
		ff := resource(t, f, "terraform_data.feature_flag[0]")
		if !ff.Envs[0].Now || ff.Envs[1].Now || ff.Envs[1].After {
			t.Errorf("feature_flag envs %+v", ff.Envs)
		}
		for _, r := range f.Resources {
			if r.Promotion != nil {
				t.Errorf("%s: promotion %+v though production's plan is a no-op", r.Canonical, r.Promotion)
			}
		}
	})
	t.Run("b-pr-changes-staging-only", func(t *testing.T) {
		f := scenarioFacts(t, "b-pr-changes-staging-only", "plan.json")
		a := attr(t, resource(t, f, "terraform_data.db"), "input.engine_version")
		if a.DiffersNow || !a.DiffersAfter || !slices.Equal(a.Changed, []string{"staging"}) || a.After["staging"] != "15.4" {
			t.Errorf("db engine_version %+v", a)
		}
		w := resource(t, f, `terraform_data.svc["worker"]`)
		if w.Envs[0].Now || !w.Envs[0].After || w.Envs[0].Action != "create" || w.Envs[1].After {
			t.Errorf("svc[worker] envs %+v", w.Envs)
		}
	})
	t.Run("c-promotion-before", func(t *testing.T) {
		f := scenarioFacts(t, "c-promotion-before", "plan.json")
		p := resource(t, f, "terraform_data.db").Promotion
		if p == nil || !p.PreviousHas || p.Action != "update" || len(p.Paths) == 0 {
			t.Fatalf("promotion %s", mustJSON(t, p))
		}
		if p.Paths[0].Path != "input.engine_version" || p.Paths[0].Target != "15.4" || p.Paths[0].Previous != "14.9" {
			t.Errorf("paths %s", mustJSON(t, p.Paths))
		}
	})
	t.Run("c-promotion-after", func(t *testing.T) {
		f := scenarioFacts(t, "c-promotion-after", "plan.json")
		p := resource(t, f, "terraform_data.db").Promotion
		if p == nil || !p.PreviousHas || p.Action != "update" || len(p.Paths) != 0 {
			t.Errorf("promotion %s: staging already runs 15.4", mustJSON(t, p))
		}
	})
	t.Run("d-declared-differences", func(t *testing.T) {
		for _, ext := range []string{"plan.json", "state.json", "tfstate"} {
			f := scenarioFacts(t, "d-declared-differences", ext)
			for _, r := range f.Resources {
				if strings.HasPrefix(r.Canonical, "module.app.") && len(r.Attributes) != 0 {
					t.Errorf("%s %s: declared sizing still differs: %v", ext, r.Canonical, paths(r))
				}
			}
			if got := resource(t, f, "terraform_data.shield[0]").OnlyIn; !slices.Equal(got, []string{"production"}) {
				t.Errorf("%s shield only_in %v", ext, got)
			}
			// Different passwords are expected; names with the
			// environment in them compare equal.
			if got := paths(resource(t, f, "terraform_data.db")); len(got) != 0 {
				t.Errorf("%s db paths %v", ext, got)
			}
			if got := paths(resource(t, f, "terraform_data.network")); len(got) != 0 {
				t.Errorf("%s network paths %v", ext, got)
			}
		}
	})
}

// TestKindsGiveSameCurrentFacts: the current-state facts do not depend on
// which kind of file was read.
func TestKindsGiveSameCurrentFacts(t *testing.T) {
	now := func(f *parity.Facts) string {
		var b strings.Builder
		for _, r := range f.Resources {
			for _, a := range r.Attributes {
				if a.DiffersNow {
					v, _ := json.Marshal(a.Now)
					b.WriteString(r.Canonical + " " + a.Path + " " + string(v) + "\n")
				}
			}
		}
		return b.String()
	}
	for _, sc := range scenarioNames {
		plan, state, raw := scenarioFacts(t, sc, "plan.json"), scenarioFacts(t, sc, "state.json"), scenarioFacts(t, sc, "tfstate")
		if now(state) != now(raw) || now(plan) != now(state) {
			t.Errorf("%s: current differences\nplan:\n%s\nstate:\n%s\nraw:\n%s", sc, now(plan), now(state), now(raw))
		}
	}
}
