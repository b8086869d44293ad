package check

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/lockstep-iac/lockstep/internal/testfile"

	"github.com/lockstep-iac/lockstep/policy"
)

// TestUserPolicyTimeout checks that --policy-timeout stops a user rule that
// would run for minutes on a large input (every pair of 10k production and
// 10k staging resources) soon after the deadline, as a policy error that
// names the rule.
//
// The deadline bounds every rule, built-in ones included, so on a loaded
// machine a fixed 2 s could expire inside a built-in rule instead. The test
// first times a run without the runaway rule (reading, comparing and the
// built-in rules) and gives the rules twice that, at least 2 s; the runaway
// run must then end within that baseline, the timeout and a margin.
//
// It takes about 10 s on two cores, most of it writing and reading the
// 2x10k plans (~230 MB) twice; cmd/lockstep's TestPolicyTimeout covers the
// flag on a small input.
func TestUserPolicyTimeout(t *testing.T) {
	inputs := writePair(t, 10000)
	start := time.Now()
	if _, err := Run(context.Background(), Options{Inputs: inputs, FailOn: FailOnNever}); err != nil {
		t.Fatal(err)
	}
	baseline := time.Since(start)
	timeout := max(2*time.Second, 2*baseline)
	dir := t.TempDir()
	testfile.Write(t, filepath.Join(dir, "pairs.rego"), `package main

# Compares every production instance with every staging one: 10^8 pairs.
deny_pairs contains msg if {
	some a, p in input.env.production.resources
	some b, s in input.env.staging.resources
	a != b
	p.after.private_ip == s.after.private_ip
	msg := sprintf("%s and %s share %s", [a, b, p.after.private_ip])
}
`)
	start = time.Now()
	rep, err := Run(context.Background(), Options{
		FailOn:        FailOnNever,
		Inputs:        inputs,
		Policy:        policy.Options{PolicyDirs: []string{dir}},
		PolicyTimeout: timeout,
	})
	took := time.Since(start)
	t.Logf("baseline %s; with the runaway rule and a %s timeout, Run returned after %s", baseline, timeout, took)
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
	// The rule must stop about when the timeout expires: reading and the
	// built-in rules take the baseline, then the timeout, then a margin.
	if limit := baseline + timeout + 10*time.Second; took > limit {
		t.Errorf("Run took %s with a %s policy timeout (limit %s)", took, timeout, limit)
	}
}
