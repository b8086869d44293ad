package parser

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/json"
	"net/url"
	"slices"
	"sort"
	"strings"

	"github.com/lockstep-iac/lockstep/snapshot"
)

// Marks is what the inputs of one run mark sensitive, together:
//
//   - secret strings: every string under a mark, hidden wherever it appears
//     in any input, as a whole value or (from minEmbedded characters) inside
//     a longer string or a map key;
//   - secret keys: the keys of maps under a mark (a sensitive map's keys are
//     as secret as its values), hidden as map keys anywhere below a
//     resource's top level. Renaming a key never hides a difference, as
//     every input renames it alike; so keys are learned generously (see
//     collectAll), but not looked for among values;
//   - sensitive paths: where a mark is, as resource type and name plus the
//     attribute path (a mark inside a list element applies to every
//     element, see generalise), and root variables and outputs by name. Every input hides whatever it holds there, of any
//     type, and that value then counts as a secret string too, so its
//     unmarked copies are hidden as well.
//
// Paths are keyed by type and name, not by address: parity matches
// addresses after replacing environment names, which the parser does not
// know, and module keys and for_each keys often hold them. Dropping the
// module path and instance keys, and generalising list indexes, marks more
// than Terraform did (every instance of a resource, every block of a list);
// over-hiding costs a value shown as "(sensitive)", under-hiding
// costs a leaked secret. Two hidden values never differ in parity, so a
// value hidden by another input's mark is no noise either: the same value
// on both sides is a shared secret, different values are nothing.
//
// A secret map key is renamed "(sensitive #N)", N numbering the run's
// secret strings in an order that the same inputs always give and that
// tells nothing about the values (see number): reports are byte-identical
// from run to run, and a name says no more than "a secret".
type Marks struct {
	order  []string
	num    map[string]int
	values map[string]struct{}
	keys   map[string]struct{}
	paths  map[string]any
	// long holds the secret values long enough to look for inside other
	// strings (a password embedded in a connection string), in order, each
	// followed by its encoded copies (see variants).
	long []longSecret
	// lengths, once number has run (numbered), tells which lengths some
	// secret value or key has, and shortest is the shortest of long: a
	// string of another length is no secret and holds none when shorter,
	// which spares redaction two map lookups and a search per string and
	// per key of every resource.
	lengths  secretLengths
	shortest int
	numbered bool
}

// secretLengths is a set of string lengths: a bit per length below
// maxLength, and one for all the longer ones.
type secretLengths struct {
	bits   [maxLength / 64]uint64
	longer bool
}

const maxLength = 512

func (l *secretLengths) add(n int) {
	if n >= maxLength {
		l.longer = true
		return
	}
	l.bits[n/64] |= 1 << (n % 64)
}

func (l *secretLengths) has(n int) bool {
	if n >= maxLength {
		return l.longer
	}
	return l.bits[n/64]&(1<<(n%64)) != 0
}

// maybe reports whether a string n bytes long can be, or hold, a secret
// value or key; true before number has run.
func (m *Marks) maybe(n int) bool {
	return !m.numbered || m.lengths.has(n) || len(m.long) > 0 && n >= m.shortest
}

func newMarks() *Marks {
	return &Marks{num: map[string]int{}, values: map[string]struct{}{}, keys: map[string]struct{}{}, paths: map[string]any{}}
}

// Union merges what the inputs mark, then learns every input's values at
// the marked paths, and numbers the secrets.
func Union(inputs ...*Decoded) *Marks {
	m := newMarks()
	for _, d := range inputs {
		m.add(d.r.learned)
	}
	for _, d := range inputs {
		for _, o := range d.r.objects {
			if g := m.paths[o.id]; g != nil {
				m.collect(o.values, g, true)
			}
		}
	}
	m.number()
	return m
}

// Len is the number of distinct secret strings (values and keys).
func (m *Marks) Len() int { return len(m.order) }

// number orders the secrets by an HMAC keyed with a digest of all of them:
// the same secrets always give the same order, and without every secret of
// the run the order cannot be computed, so it tells nothing about them (the
// order of first appearance would, for the keys of one map, which Terraform
// writes sorted).
func (m *Marks) number() {
	all := make([]string, 0, len(m.values)+len(m.keys))
	for s := range m.values {
		all = append(all, s)
	}
	for s := range m.keys {
		if _, ok := m.values[s]; !ok {
			all = append(all, s)
		}
	}
	sort.Strings(all)
	digest := sha256.New()
	for _, s := range all {
		digest.Write([]byte(s))
		digest.Write([]byte{0})
	}
	salt := digest.Sum(nil)
	rank := make(map[string]string, len(all))
	for _, s := range all {
		mac := hmac.New(sha256.New, salt)
		mac.Write([]byte(s))
		rank[s] = string(mac.Sum(nil))
	}
	sort.SliceStable(all, func(i, j int) bool { return rank[all[i]] < rank[all[j]] })
	m.order = all
	for i, s := range all {
		m.lengths.add(len(s))
		m.num[s] = i + 1
		if _, ok := m.values[s]; ok && len(s) >= minEmbedded {
			m.long = append(m.long, longSecret{s, i + 1})
			for _, v := range variants(s) {
				m.long = append(m.long, longSecret{v, i + 1})
			}
		}
	}
	for i, k := range m.long {
		if i == 0 || len(k.s) < m.shortest {
			m.shortest = len(k.s)
		}
	}
	m.numbered = true
}

func (m *Marks) addValue(s string) {
	if s != "" {
		m.values[s] = struct{}{}
	}
}

func (m *Marks) addKey(s string) {
	if s != "" {
		m.keys[s] = struct{}{}
	}
}

func (m *Marks) markPath(id string, g any) {
	// Every instance of a resource (count, for_each) marks the same
	// paths, most often: merging would copy the mask once per instance.
	if prev := m.paths[id]; !covers(prev, g) {
		m.paths[id] = mergeMask(prev, g)
	}
}

// add merges o into m.
func (m *Marks) add(o *Marks) {
	for s := range o.values {
		m.addValue(s)
	}
	for s := range o.keys {
		m.addKey(s)
	}
	for id, g := range o.paths {
		m.markPath(id, g)
	}
}

// collect learns every string (and map key) under the parts of v that mask
// marks. At the top of a resource object (or of a block, top) the keys are
// attribute names from the provider's schema, never data, so they are not
// learned.
func (m *Marks) collect(v, mask any, top bool) {
	switch mk := mask.(type) {
	case bool:
		if !mk {
			return
		}
		if t, ok := v.(map[string]any); ok && top {
			for _, sub := range t {
				m.collectAll(sub)
			}
			return
		}
		if t, ok := v.(*snapshot.Attributes); ok && top {
			for _, sub := range t.All() {
				m.collectAll(sub)
			}
			return
		}
		m.collectAll(v)
	case map[string]any:
		switch t := v.(type) {
		case *snapshot.Attributes, map[string]any:
			for k, sub := range mk {
				m.collect(snapshot.Member(t, k), sub, false)
			}
		case []any:
			for i := range t {
				if sub := maskIndex(mk, i); sub != nil {
					m.collect(t[i], sub, isBlock(t[i]))
				}
			}
		}
	case []any:
		if t, ok := v.([]any); ok {
			for i := range min(len(t), len(mk)) {
				m.collect(t[i], mk[i], isBlock(t[i]))
			}
		}
	}
}

// isBlock reports whether a list element is an object, most often a
// block, whose keys are attribute names like a resource's (see collectAll).
func isBlock(v any) bool {
	switch v.(type) {
	case map[string]any, *snapshot.Attributes:
		return true
	}
	return false
}

// collectAll learns every string in v, and the keys of its maps that are
// not list elements: an object in a list is most often a block, whose keys
// are the schema's attribute names ("name", "enabled"), while a map held by
// an attribute or another map (tags, a sensitive map variable, a secret's
// data) is keyed by the user.
func (m *Marks) collectAll(v any) {
	switch t := v.(type) {
	case string:
		m.addValue(t)
	case *snapshot.Attributes:
		for k, sub := range t.All() {
			m.addKey(k)
			m.collectAll(sub)
		}
	case map[string]any:
		for k, sub := range t {
			m.addKey(k)
			m.collectAll(sub)
		}
	case []any:
		for _, sub := range t {
			switch e := sub.(type) {
			case map[string]any:
				for _, f := range e {
					m.collectAll(f)
				}
				continue
			case *snapshot.Attributes:
				for _, f := range e.All() {
					m.collectAll(f)
				}
				continue
			}
			m.collectAll(sub)
		}
	}
}

// isSecret reports whether s is a secret value or contains a long one.
// Secret keys are not looked for among values: the keys of a sensitive
// object are attribute names too, and hiding every "enabled" would hide
// real differences (two hidden values never differ).
func (m *Marks) isSecret(s string) bool {
	if !m.maybe(len(s)) {
		return false
	}
	if _, ok := m.values[s]; ok {
		return true
	}
	return m.embedded(s) > 0
}

// embedded returns the number of the first long secret inside s, or 0.
func (m *Marks) embedded(s string) int {
	if len(s) <= minEmbedded {
		return 0
	}
	for _, k := range m.long {
		if strings.Contains(s, k.s) {
			return k.n
		}
	}
	return 0
}

// longSecret is a secret, or an encoded copy of one, and the secret's number.
type longSecret struct {
	s string
	n int
}

// variants returns the copies of s that Terraform functions make and that
// differ from s: jsonencode's (which escapes quotes, backslashes and <, >,
// & as \u003c), urlencode's and a path's percent-encoding, lower() and
// upper(). A secret passed through one of them is no less secret.
func variants(s string) []string {
	var out []string
	add := func(v string) {
		if v != s && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	j, _ := json.Marshal(s)
	add(string(j[1 : len(j)-1]))
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	if e := strings.TrimSuffix(b.String(), "\n"); len(e) >= 2 {
		add(e[1 : len(e)-1])
	}
	add(url.QueryEscape(s))
	add(url.PathEscape(s))
	add(strings.ToLower(s))
	add(strings.ToUpper(s))
	return out
}
