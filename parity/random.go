package parity

import (
	"sort"
	"strings"
)

// randomResults lists, per resource type of the hashicorp/random provider,
// the attributes that hold the generated value. They differ between
// environments by nature, like ids, and so do values built from them (a
// bucket named "my-bucket-${random_id.suffix.hex}"). They are never
// compared; values that embed them compare with the random part replaced by
// a reference to the resource that generated it.
var randomResults = map[string][]string{
	"random_id":       {"b64_std", "b64_url", "dec", "hex"},
	"random_string":   {"result"},
	"random_password": {"result", "bcrypt_hash"},
	"random_pet":      {"id"},
	"random_uuid":     {"result"},
	"random_integer":  {"result"},
	"random_bytes":    {"base64", "hex"},
	"random_shuffle":  {"result"},
}

// minRandomToken is the shortest generated value replaced inside other
// strings; shorter ones (a 2-byte hex id) would match by chance.
const minRandomToken = 6

// randomToken is a generated value and the placeholder it becomes.
type randomToken struct {
	value, placeholder string
}

// indexRandom records the generated values of this environment's random
// resources, longest first so that a value containing another is replaced
// whole.
func (ix *envIndex) indexRandom() {
	ix.random = nil
	for c, r := range ix.byCanonical {
		attrs := randomResults[r.Type]
		if attrs == nil {
			continue
		}
		for obj := range objects(r) {
			for _, a := range attrs {
				s, ok := obj.Values.Value(a).(string)
				if !ok || len(s) < minRandomToken {
					continue
				}
				ix.random = append(ix.random, randomToken{value: s, placeholder: "${random:" + c + "." + a + "}"})
			}
		}
	}
	sort.Slice(ix.random, func(i, j int) bool {
		a, b := ix.random[i], ix.random[j]
		if len(a.value) != len(b.value) {
			return len(a.value) > len(b.value)
		}
		return a.value < b.value || a.value == b.value && a.placeholder < b.placeholder
	})
}

// replaceRandom replaces generated values embedded in s.
func (ix *envIndex) replaceRandom(s string) string {
	for _, t := range ix.random {
		if strings.Contains(s, t.value) {
			s = strings.ReplaceAll(s, t.value, t.placeholder)
		}
	}
	return s
}

// isRandomResult reports whether path is a generated value of a random
// resource of type typ.
func isRandomResult(typ string, path []string) bool {
	if len(path) != 1 {
		return false
	}
	for _, a := range randomResults[typ] {
		if a == path[0] {
			return true
		}
	}
	return false
}
