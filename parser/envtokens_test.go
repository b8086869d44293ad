package parser

import (
	"strings"
	"testing"

	"github.com/lockstep-iac/lockstep/snapshot"
)

// TestSensitiveTokens checks that a hidden value keeps the environment
// names it holds, and nothing else of its text.
func TestSensitiveTokens(t *testing.T) {
	tokens := []string{"staging", "stg", "production", "prod"}
	for _, tc := range []struct {
		name   string
		tokens []string
		v      any
		want   string
	}{
		{"suffix", tokens, "svc-staging-7Hq2LmX9pR4t", "staging"},
		{"upper case alias", tokens, "postgres://app:pw@DB-STG.internal/orders", "stg"},
		{"two environments", tokens, "prod-to-staging-peer", "staging prod"},
		{"inside a word", tokens, "products-Xk2mQ9", ""},
		{"in a map and a list", tokens, map[string]any{"a": []any{"x-production"}, "b": "k-stg"}, "stg production"},
		{"not a string", tokens, true, ""},
		{"no environments named", nil, "svc-staging-7Hq2LmX9pR4t", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRedactor([]byte("key"), tc.tokens)
			got := r.sensitive(tc.v)
			// In Options order, not the order found.
			if got.Tokens != tc.want {
				t.Errorf("Tokens = %q, want %q", got.Tokens, tc.want)
			}
			if s, ok := tc.v.(string); ok && strings.Contains(got.Tokens, s) {
				t.Errorf("Tokens holds the secret: %q", got.Tokens)
			}
			// The same value gives the same marker: sameRaw compares markers.
			if again := r.sensitive(tc.v); again != got {
				t.Errorf("markers differ: %+v, %+v", again, got)
			}
			if _, ok := any(got).(snapshot.Sensitive); !ok {
				t.Fatal("not a marker")
			}
		})
	}
}
