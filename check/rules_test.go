package check

import (
	"context"
	"slices"
	"testing"

	"github.com/lockstep-iac/lockstep/policy"
)

// TestKnownRules keeps the ids a waiver may name in step with the rules the
// engine actually loads: a waiver for a rule that does not exist would waive
// nothing, and a rule missing here could not be waived at all.
func TestKnownRules(t *testing.T) {
	e, err := policy.New(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, r := range e.Rules() {
		if r.Stage == "" {
			ids = append(ids, r.ID)
		}
	}
	if known := KnownRules(); !slices.Equal(known, ids) {
		t.Errorf("KnownRules() = %v, engine rules = %v", known, ids)
	}
}
