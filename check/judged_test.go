package check

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/lockstep-iac/lockstep/config"
	"github.com/lockstep-iac/lockstep/policy"
	"github.com/lockstep-iac/lockstep/report"
)

// TestBuiltinInputJudgesAlike: the built-in rules, evaluated over the
// compact input EvaluateDocument gives them (only the resources some rule
// can judge, policy.judged), find exactly what they find over the whole
// document, on every scenario's plans and states (with and without
// --target, with the scenario's lockstep.hcl when it has one) and on the
// real multi-environment states.
func TestBuiltinInputJudgesAlike(t *testing.T) {
	engine, err := policy.New(context.Background(), policy.Options{})
	if err != nil {
		t.Fatal(err)
	}
	order := []string{"dev", "staging", "production"}
	type pair struct {
		name   string
		inputs []Input
		config string
		target string
	}
	var cases []pair
	dirs, _ := filepath.Glob("../testdata/scenarios/*")
	for _, dir := range dirs {
		for _, suffix := range []string{".plan.json", ".state.json"} {
			var inputs []Input
			for _, env := range order {
				if p := filepath.Join(dir, env+suffix); exists(p) {
					inputs = append(inputs, Input{Name: env, Path: p})
				}
			}
			if len(inputs) < 2 {
				continue
			}
			cfg := filepath.Join(dir, "lockstep.hcl")
			if !exists(cfg) {
				cfg = ""
			}
			name := filepath.Base(dir) + suffix
			cases = append(cases, pair{name, inputs, cfg, ""})
			if suffix == ".plan.json" {
				cases = append(cases, pair{name + "/target", inputs, cfg, inputs[len(inputs)-1].Name})
			}
		}
	}
	logos := "../testdata/real/logos-envs/"
	cases = append(cases, pair{name: "real/logos-envs", inputs: []Input{
		{Name: "development", Path: logos + "development.terraform.tfstate"},
		{Name: "staging", Path: logos + "staging.terraform.tfstate"},
		{Name: "production", Path: logos + "production.terraform.tfstate"},
	}})
	if len(cases) < 30 {
		t.Fatalf("only %d cases found", len(cases))
	}
	judged := 0
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			opts := Options{Inputs: tc.inputs, Target: tc.target, AllowIdenticalInputs: true}
			var cfg *config.Config
			if tc.config != "" {
				if cfg, err = config.Load(tc.config, config.Options{}); err != nil {
					t.Skipf("config: %v", err)
				}
			}
			b, err := build(context.Background(), opts, cfg)
			if err != nil {
				t.Skipf("not comparable as a plain pair: %v", err)
			}
			full, err := b.doc.Value()
			if err != nil {
				t.Fatal(err)
			}
			settings := Settings(cfg)
			want, err := engine.Evaluate(context.Background(), full, settings)
			if err != nil {
				t.Fatal(err)
			}
			got, err := engine.EvaluateDocument(context.Background(), b.doc, settings)
			if err != nil {
				t.Fatal(err)
			}
			sortFindings(want)
			sortFindings(got)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("compact input: %d findings %v\nwhole document: %d findings %v", len(got), rules(got), len(want), rules(want))
			}
			judged += len(want)
		})
	}
	if judged == 0 {
		t.Error("no case had a finding: the comparison proves nothing")
	}
}

func exists(p string) bool { _, err := os.Stat(p); return err == nil }

func sortFindings(fs []report.Finding) {
	slices.SortFunc(fs, func(a, b report.Finding) int {
		return strings.Compare(a.Rule+a.Address+a.Message, b.Rule+b.Address+b.Message)
	})
}

func rules(fs []report.Finding) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.Rule + " " + f.Address
	}
	return out
}
