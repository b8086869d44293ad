package check

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/lockstep-iac/lockstep/internal/testfile"

	"github.com/lockstep-iac/lockstep/internal/golden"
	"github.com/lockstep-iac/lockstep/policy"
)

// TestKnownRules: the ids a waiver may name come from the engine, so they
// follow the rules actually loaded. expired-waiver judges the waivers and
// cannot be waived; a user rule can.
func TestKnownRules(t *testing.T) {
	dir := t.TempDir()
	testfile.Write(t, filepath.Join(dir, "p.rego"), "package main\n\n# METADATA\n# custom:\n#   id: db-parity\ndeny contains \"x\" if false\n")
	e, err := policy.New(context.Background(), policy.Options{PolicyDirs: []string{dir}})
	if err != nil {
		t.Fatal(err)
	}
	// The waivable built-in ids come from the generated rule list, not a
	// list kept here by hand.
	want := []string{"db-parity"}
	staged := 0
	for _, r := range golden.BuiltinRules(t) {
		if r.Stage == "" {
			want = append(want, r.ID)
		} else {
			staged++
		}
	}
	slices.Sort(want)
	if got := e.IDs(""); !slices.Equal(got, want) {
		t.Errorf("waivable ids %v, want %v", got, want)
	}
	if got := e.IDs("*"); !slices.Contains(got, "expired-waiver") || len(got) != len(want)+staged {
		t.Errorf("all ids %v", got)
	}

	cfg := filepath.Join(dir, "lockstep.hcl")
	testfile.Write(t, cfg, `waiver "w" {
  rule    = "db-parity"
  reason  = "r"
  owner   = "o"
  expires = "2030-01-01"
}
rule "db-parity" { severity = "warning" }
rule "out-of-band-drift" { enabled = false }
`)
	c, err := LoadConfig(cfg, e)
	if err != nil {
		t.Fatalf("a waiver and rule blocks naming a user rule: %v", err)
	}
	s := Settings(c)
	if s["db-parity"].Severity != "warning" || !s["out-of-band-drift"].Disabled || s["version-skew"].Disabled {
		t.Errorf("settings %+v", s)
	}
	builtinOnly, err := policy.New(context.Background(), policy.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := LoadConfig(cfg, builtinOnly); err == nil || !strings.Contains(err.Error(), `no rule "db-parity"`) {
		t.Errorf("without --policy the user rule's id is unknown; got %v", err)
	}
	testfile.Write(t, cfg, "waiver \"w\" {\n  rule = \"expired-waiver\"\n  reason = \"r\"\n  owner = \"o\"\n  expires = \"2030-01-01\"\n}\n")
	if _, err := LoadConfig(cfg, e); err == nil {
		t.Error("a waiver naming expired-waiver was accepted")
	}
}
