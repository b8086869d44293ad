package parity

import (
	"sort"
	"strconv"
	"strings"

	"github.com/lockstep-iac/lockstep/snapshot"
)

// ownIdentityAttributes are the top-level attributes that name a resource
// itself. A value elsewhere that equals one of them refers to that resource.
// Unlike identityAttributes (used to normalise values for comparison) this
// includes name: a production setting holding "net-staging" points at
// staging's network just as surely as one holding its id.
var ownIdentityAttributes = []string{"id", "arn", "self_link", "unique_id", "name"}

// minIdentifierLength is the shortest value treated as an identifier when
// looking for references across environments. Shorter strings ("web",
// "main", "us-east") are shared by chance.
const minIdentifierLength = 8

// owner is a resource that an identifying value belongs to.
type owner struct {
	env       int
	canonical string
	address   string
	attr      string
}

// owners records, for every distinctive identifying value of this
// environment's resources, the one resource it belongs to: the first by
// canonical address and attribute, so output is stable. env is the
// environment's place in the run.
func (ix *envIndex) owners(env int) map[string]owner {
	out := make(map[string]owner, 2*len(ix.byCanonical)) // an id and an arn, mostly
	for c, r := range ix.byCanonical {
		for obj := range objects(r) {
			for _, attr := range ownIdentityAttributes {
				s, ok := obj.Values.Value(attr).(string)
				if !ok || !distinctive(s) {
					continue
				}
				o := owner{env: env, canonical: c, address: r.Address, attr: attr}
				if prev, ok := out[s]; !ok || o.canonical < prev.canonical || o.canonical == prev.canonical && o.attr < prev.attr {
					out[s] = o
				}
			}
		}
	}
	return out
}

// mergeOwners makes the run's index of identifying values from each
// environment's (envOwners), listing a value's owners in the order of the
// environments.
func (b *builder) mergeOwners(envOwners []map[string]owner) {
	size := 0
	for _, m := range envOwners {
		size += len(m)
	}
	b.owners = make(map[string][]owner, size)
	for _, m := range envOwners {
		for value, o := range m {
			b.owners[value] = append(b.owners[value], o)
			b.ownerHeads.add(value)
		}
	}
}

// distinctive reports whether a string is specific enough that two
// environments holding it is no coincidence: long enough, not a number, and
// not a plain word (an id, arn, path or hyphenated name has a digit or
// punctuation).
func distinctive(s string) bool {
	if len(s) < minIdentifierLength {
		return false
	}
	letters, numeric := true, true
	for i := 0; i < len(s); i++ {
		c := s[i]
		isLetter := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
		letters = letters && isLetter
		numeric = numeric && (c >= '0' && c <= '9' || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E')
		if !letters && !numeric {
			return true // neither a word nor a number, whatever follows
		}
	}
	if letters {
		return false
	}
	if numeric {
		// Only strings made of number characters reach ParseFloat, which
		// allocates an error for everything else.
		if _, err := strconv.ParseFloat(s, 64); err == nil {
			return false
		}
	}
	return true
}

// refWalker finds, in one environment's object, the values that identify
// another environment's resources and none of its own.
type refWalker struct {
	b       *builder
	env     int
	address string
	planned bool
	path    []string
	found   map[string]*Reference
	// members are the matched resource in every environment, to tell a
	// literal shared by the environments from one copied (envrefs.go).
	members []*snapshot.Resource
	// own is true below one of the resource's own identity attributes:
	// its own name is no reference to another resource, but it may still
	// name another environment.
	own bool
}

// references lists the cross-environment references of one matched resource.
func (b *builder) references(members []*snapshot.Resource) []Reference {
	var out []Reference
	for i, m := range members {
		if m == nil {
			continue
		}
		w := &refWalker{b: b, env: i, address: m.Address, members: members}
		if m.Now != nil {
			w.walkTop(m.Now.Values)
		}
		if m.After != nil && m.After != m.Now {
			w.planned = true
			w.walkTop(m.After.Values)
		}
		if len(w.found) == 0 {
			continue
		}
		start := len(out)
		for _, r := range w.found {
			out = append(out, *r)
		}
		part := out[start:]
		sort.Slice(part, func(x, y int) bool {
			if part[x].Path != part[y].Path {
				return part[x].Path < part[y].Path
			}
			return b.rank(part[x].Owner.Env) < b.rank(part[y].Owner.Env)
		})
	}
	if out == nil {
		return []Reference{}
	}
	return out
}

// rank is an environment's place in promotion order.
func (b *builder) rank(env string) int {
	for i, ix := range b.envs {
		if ix.env.Name == env {
			return i
		}
	}
	return len(b.envs)
}

func (w *refWalker) walkTop(values *snapshot.Attributes) {
	for k, v := range values.All() {
		if w.b.ignore.has(k) {
			continue
		}
		w.own = isOwnIdentity(k)
		w.path = append(w.path[:0], k)
		w.walk(v)
	}
}

func isOwnIdentity(k string) bool {
	for _, a := range ownIdentityAttributes {
		if a == k {
			return true
		}
	}
	return false
}

func (w *refWalker) walk(v any) {
	switch t := v.(type) {
	case string:
		if !w.own && !(distinctive(t) && w.check(t)) {
			w.checkEmbedded(t)
		}
		w.checkTokens(t, "", v) // v, not t: boxing t again costs an allocation per string
	case snapshot.Sensitive:
		if t.Tokens != "" {
			w.checkTokens(SensitiveValue, t.Tokens, v)
		}
	case *snapshot.Attributes:
		for k, e := range t.All() {
			if w.b.ignore.has(k) {
				continue
			}
			w.path = append(w.path, k)
			w.walk(e)
			w.path = w.path[:len(w.path)-1]
		}
	case map[string]any:
		for k, e := range t {
			if w.b.ignore.has(k) {
				continue
			}
			w.path = append(w.path, k)
			w.walk(e)
			w.path = w.path[:len(w.path)-1]
		}
	case []any:
		for i, e := range t {
			w.path = append(w.path, strconv.Itoa(i))
			w.walk(e)
			w.path = w.path[:len(w.path)-1]
		}
	}
}

// check records value as a reference when it identifies another
// environment's resource and none of this one's; embedded says it is one
// token of the value at the path. It reports whether value identifies some
// resource (of any environment).
func (w *refWalker) check(value string) bool {
	return w.checkAs(value, false)
}

func (w *refWalker) checkAs(value string, embedded bool) bool {
	if !w.b.ownerHeads.mayHave(value) {
		return false
	}
	owners := w.b.owners[value]
	if len(owners) == 0 {
		return false
	}
	for _, o := range owners {
		if o.env == w.env {
			return true // one of its own: shared by design, or its own object
		}
	}
	for _, o := range owners {
		w.add(o.env, func(path string) *Reference {
			return &Reference{
				Env:      w.b.envs[w.env].env.Name,
				Address:  w.address,
				Path:     path,
				Value:    value,
				Planned:  w.planned,
				Owner:    Owner{Env: w.b.envs[o.env].env.Name, Address: o.address, Attribute: o.attr},
				Embedded: embedded,
			}
		})
	}
	return true
}

// add records the reference that build makes, unless the current path
// already has one to environment env: one per path and environment, the
// first found (the current state's before the plan's, a whole value's
// before an embedded token's, an identifier's before an environment name).
func (w *refWalker) add(env int, build func(path string) *Reference) {
	path := strings.Join(w.path, ".")
	key := path + "\x00" + strconv.Itoa(env)
	if _, seen := w.found[key]; seen {
		return
	}
	if w.found == nil {
		w.found = map[string]*Reference{}
	}
	w.found[key] = build(path)
}
