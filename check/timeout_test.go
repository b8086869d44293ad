package check

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/lockstep-iac/lockstep/policy"
)

// TestUserPolicyTimeout checks that --policy-timeout stops a user rule that
// would run for minutes on a large input (every pair of 10k production and
// 10k staging resources) soon after the deadline, as a policy error that
// names the rule.
//
// It takes about 6 s on two cores, most of it writing and reading the
// 2x10k plans (~230 MB); cmd/lockstep's TestPolicyTimeout covers the flag
// on a small input.
func TestUserPolicyTimeout(t *testing.T) {
	inputs := writePair(t, 10000)
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "pairs.rego"), `package main

# Compares every production instance with every staging one: 10^8 pairs.
deny_pairs contains msg if {
	some a, p in input.env.production.resources
	some b, s in input.env.staging.resources
	a != b
	p.after.private_ip == s.after.private_ip
	msg := sprintf("%s and %s share %s", [a, b, p.after.private_ip])
}
`)
	const timeout = 2 * time.Second
	start := time.Now()
	rep, err := Run(context.Background(), Options{
		Inputs:        inputs,
		Policy:        policy.Options{PolicyDirs: []string{dir}},
		PolicyTimeout: timeout,
	})
	took := time.Since(start)
	t.Logf("Run returned after %s", took)
	if err == nil {
		t.Fatalf("the runaway rule finished with %d findings", len(rep.Findings))
	}
	var pe *policy.Error
	var te *policy.TimeoutError
	if !errors.As(err, &pe) || !errors.As(err, &te) {
		t.Fatalf("error %T %v, want a *policy.Error wrapping a *policy.TimeoutError", err, err)
	}
	if te.Rule.Name != "deny_pairs" || pe.Rule != "main.deny_pairs" {
		t.Errorf("timed out in %s (%s), want main.deny_pairs", pe.Rule, te.Rule.Name)
	}
	// Reading and comparing 2x10k resources takes a few seconds, then the
	// rule must stop about when the timeout expires.
	if took > 20*time.Second {
		t.Errorf("Run took %s with a %s policy timeout", took, timeout)
	}
}
