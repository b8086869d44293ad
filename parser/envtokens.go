package parser

import (
	"strings"

	"github.com/lockstep-iac/lockstep/internal/envtoken"
	"github.com/lockstep-iac/lockstep/snapshot"
)

// tokensIn lists the run's environment tokens that a value about to be
// hidden holds as whole words, in every string inside it, space-separated
// in Options order: the one thing about a secret that parity needs to tell
// that production's token was copied from staging, and nothing of the
// secret itself.
func (r *redactor) tokensIn(v any) string {
	if len(r.envTokens) == 0 {
		return ""
	}
	found := make([]bool, len(r.envTokens))
	var visit func(any)
	visit = func(v any) {
		switch t := v.(type) {
		case string:
			for i, tok := range r.envTokens {
				if !found[i] && envtoken.Has(t, tok) {
					found[i] = true
				}
			}
		case *snapshot.Attributes:
			for _, e := range t.All() {
				visit(e)
			}
		case map[string]any:
			for _, e := range t {
				visit(e)
			}
		case []any:
			for _, e := range t {
				visit(e)
			}
		}
	}
	visit(v)
	var out []string
	for i, ok := range found {
		if ok {
			out = append(out, r.envTokens[i])
		}
	}
	return strings.Join(out, " ")
}
