package config

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestStacks: stack blocks with their inputs (sorted, relative to the
// config) and own config, stacks blocks' patterns; mistakes are errors.
func TestStacks(t *testing.T) {
	src := `stack "payments" {
  inputs = { staging = "exports/payments/staging.tfstate", production = "/abs/prod.tfstate" }
  config = "stacks/payments/lockstep.hcl"
}
stacks {
  patterns = ["exports/{stack}/{env}.json"]
}
`
	cfg, err := Parse([]byte(src), filepath.Join("fleet", "lockstep.hcl"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []Stack{{Name: "payments", Inputs: []StackInput{{"production", "/abs/prod.tfstate"}, {"staging", filepath.Join("fleet", "exports/payments/staging.tfstate")}},
		Config: filepath.Join("fleet", "stacks/payments/lockstep.hcl")}}
	cfg.Stacks[0].Range = want[0].Range
	if !reflect.DeepEqual(cfg.Stacks, want) {
		t.Errorf("stacks %+v, want %+v", cfg.Stacks, want)
	}
	if !reflect.DeepEqual(cfg.StackPatterns, []string{filepath.Join("fleet", "exports/{stack}/{env}.json")}) {
		t.Errorf("patterns %q", cfg.StackPatterns)
	}
	for _, tc := range []struct{ src, want string }{
		{`stack "a" {}`, `The argument "inputs" is required`},
		{`stack "a" { inputs = {} }`, "inputs maps each environment"},
		{`stack "a" { inputs = { staging = "" } }`, `the input of environment "staging" must be a non-empty path`},
		{`stack "a" { inputs = "x" }`, "inputs maps each environment"},
		{`stack "a" { inputs = { s = "x" } }` + "\n" + `stack "a" { inputs = { s = "y" } }`, "Duplicate stack"},
		{`stacks { patterns = [] }`, "patterns must list at least one pattern"},
	} {
		_, err := Parse([]byte(tc.src), "lockstep.hcl", Options{})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.src, err, tc.want)
		}
	}
}
