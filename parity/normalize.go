package parity

import (
	"sort"
	"strings"

	"github.com/lockstep-iac/lockstep/internal/envtoken"
	"github.com/lockstep-iac/lockstep/snapshot"
)

// Placeholder replaces environment tokens in canonical addresses and values.
const Placeholder = "${env}"

// envIndex holds one environment's resources by canonical address and the
// identities of its resources, for normalising values.
type envIndex struct {
	env         Env
	tokens      []string // lower case, longest first
	byCanonical map[string]*snapshot.Resource
	identities  map[string]string
	idHeads     heads // of identities' keys
	random      []randomToken
}

func newEnvIndex(e Env) *envIndex {
	ix := &envIndex{env: e}
	seen := map[string]bool{}
	for _, t := range append([]string{e.Name}, e.Aliases...) {
		t = envtoken.Lower(t)
		if t != "" && !seen[t] {
			seen[t] = true
			ix.tokens = append(ix.tokens, t)
		}
	}
	sort.Slice(ix.tokens, func(i, j int) bool { return len(ix.tokens[i]) > len(ix.tokens[j]) })

	ix.byCanonical = make(map[string]*snapshot.Resource, len(e.Snapshot.Resources))
	collided := map[string]bool{}
	for addr, r := range e.Snapshot.Resources {
		c := ix.replaceTokens(addr)
		if other, dup := ix.byCanonical[c]; dup && other != r {
			collided[c] = true
			continue
		}
		ix.byCanonical[c] = r
	}
	// Two addresses of one environment with the same canonical form (say
	// web["prod"] and web["production"]) cannot be told apart: match both
	// by their literal address instead.
	for c := range collided {
		delete(ix.byCanonical, c)
	}
	if len(collided) > 0 {
		for addr, r := range e.Snapshot.Resources {
			if collided[ix.replaceTokens(addr)] {
				ix.byCanonical[addr] = r
			}
		}
	}
	return ix
}

// indexIdentities records the identifying values (ids, arns) of this
// environment's resources so that references to them normalise to the
// referenced resource's canonical address.
func (ix *envIndex) indexIdentities() {
	ix.identities = make(map[string]string, 2*len(ix.byCanonical)) // an id and an arn, mostly
	for c, r := range ix.byCanonical {
		for obj := range objects(r) {
			for _, attr := range identityAttributes {
				s, ok := obj.Values.Value(attr).(string)
				if !ok || len(s) < 6 {
					continue
				}
				ref := "${ref:" + c + "." + attr + "}"
				if old, ok := ix.identities[s]; !ok || ref < old {
					ix.identities[s] = ref
					ix.idHeads.add(s)
				}
			}
		}
	}
}

// normalize returns the comparable form of a string value of this
// environment.
func (ix *envIndex) normalize(s string) string {
	if ix.idHeads.mayHave(s) {
		if ref, ok := ix.identities[s]; ok {
			return ref
		}
	}
	if len(ix.random) > 0 {
		s = ix.replaceRandom(s)
	}
	return ix.replaceTokens(s)
}

// replaceTokens replaces the environment's name and aliases, case
// insensitively, where they stand as whole words: "net-staging" becomes
// "net-${env}" but "product" keeps its "prod".
func (ix *envIndex) replaceTokens(s string) string {
	if len(ix.tokens) == 0 {
		return s
	}
	lower := envtoken.Lower(s)
	found := false
	for _, t := range ix.tokens {
		if strings.Contains(lower, t) {
			found = true
			break
		}
	}
	if !found {
		return s
	}
	var out strings.Builder
	i := 0
	for i < len(s) {
		matched := 0
		if i == 0 || !envtoken.IsWordByte(lower[i-1]) {
			for _, t := range ix.tokens {
				end := i + len(t)
				if strings.HasPrefix(lower[i:], t) && (end == len(s) || !envtoken.IsWordByte(lower[end])) {
					matched = len(t)
					break
				}
			}
		}
		if matched > 0 {
			out.WriteString(Placeholder)
			i += matched
			continue
		}
		out.WriteByte(s[i])
		i++
	}
	return out.String()
}
