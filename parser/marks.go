package parser

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/lockstep-iac/lockstep/snapshot"
)

// Reading an input is two phases, so that redaction spans the whole run: a
// value marked sensitive in one environment is a secret in every other,
// where Terraform may hold it (or a different value at the same place)
// unmarked — `sensitive = true` on a variable in staging only is exactly the
// drift lockstep exists to find.
//
//	d1, _ := parser.Decode(name1, data1, opts)  // concurrently
//	d2, _ := parser.Decode(name2, data2, opts)
//	marks := parser.Union(d1, d2)              // in promotion order
//	s1, s2 := d1.Snapshot(marks), d2.Snapshot(marks)
//
// Parse and ReadFile do both phases for a single input.

// Decoded is one input, decoded, with what it marks sensitive learned but
// nothing redacted yet. Snapshot finishes it.
type Decoded struct {
	name  string
	sum   [32]byte
	r     *redactor
	build func() *snapshot.Snapshot
}

// Snapshot redacts the input with marks (Union of every input of the run,
// this one included; nil means this input's own) and returns its snapshot.
// It redacts in place, so it may be called once; Decoded's are independent
// of each other and may finish concurrently.
func (d *Decoded) Snapshot(marks *Marks) *snapshot.Snapshot {
	if d.build == nil {
		panic("parser: Decoded.Snapshot called twice")
	}
	if marks == nil {
		marks = Union(d)
	}
	d.r.marks = marks
	snap := d.build()
	marks.redactAddresses(snap)
	d.build, d.r.objects = nil, nil
	snap.Source = d.name
	snap.SHA256 = hex.EncodeToString(d.sum[:])
	return snap
}

// Parse parses the bytes of one input on its own; name is used in errors and
// as the snapshot's source.
func Parse(name string, data []byte, opts Options) (*snapshot.Snapshot, error) {
	d, err := Decode(name, data, opts)
	if err != nil {
		return nil, err
	}
	return d.Snapshot(nil), nil
}

// ReadFile reads and parses one input file on its own.
func ReadFile(path string, opts Options) (*snapshot.Snapshot, error) {
	d, err := DecodeFile(path, opts)
	if err != nil {
		return nil, err
	}
	return d.Snapshot(nil), nil
}

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
		m.num[s] = i + 1
		if _, ok := m.values[s]; ok && len(s) >= minEmbedded {
			m.long = append(m.long, longSecret{s, i + 1})
			for _, v := range variants(s) {
				m.long = append(m.long, longSecret{v, i + 1})
			}
		}
	}
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
	if g != nil {
		m.paths[id] = mergeMask(m.paths[id], g)
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
		m.collectAll(v)
	case map[string]any:
		switch t := v.(type) {
		case map[string]any:
			for k, sub := range mk {
				m.collect(t[k], sub, false)
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
func isBlock(v any) bool { _, ok := v.(map[string]any); return ok }

// collectAll learns every string in v, and the keys of its maps that are
// not list elements: an object in a list is most often a block, whose keys
// are the schema's attribute names ("name", "enabled"), while a map held by
// an attribute or another map (tags, a sensitive map variable, a secret's
// data) is keyed by the user.
func (m *Marks) collectAll(v any) {
	switch t := v.(type) {
	case string:
		m.addValue(t)
	case map[string]any:
		for k, sub := range t {
			m.addKey(k)
			m.collectAll(sub)
		}
	case []any:
		for _, sub := range t {
			if e, ok := sub.(map[string]any); ok {
				for _, f := range e {
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

// keyNumber returns the number of the secret that map key k is or
// contains, or 0 when k is no secret. A learned key is a secret below a
// resource's top level only: the keys of a sensitive object are often
// attribute names too ("password"), which every resource's top level holds.
func (m *Marks) keyNumber(k string, top bool) int {
	if _, ok := m.values[k]; ok {
		return m.num[k]
	}
	if _, ok := m.keys[k]; ok && !top {
		return m.num[k]
	}
	return m.embedded(k)
}

// keyNames returns the new name of every secret key of t: "(sensitive #N)"
// after the secret it is or contains. Keys that would get the same name
// (two keys containing one secret) are told apart by a suffix, in the
// order of their clear text: the only place clear text orders anything, and
// only among keys that contain the same secret.
func (m *Marks) keyNames(t map[string]any, top bool) map[string]string {
	if len(m.order) == 0 {
		return nil
	}
	var groups map[int][]string
	for k := range t {
		if n := m.keyNumber(k, top); n > 0 {
			if groups == nil {
				groups = map[int][]string{}
			}
			groups[n] = append(groups[n], k)
		}
	}
	if groups == nil {
		return nil
	}
	nums := make([]int, 0, len(groups))
	for n := range groups {
		nums = append(nums, n)
	}
	sort.Ints(nums)
	renamed := map[string]string{}
	used := map[string]bool{}
	for _, n := range nums {
		ks := groups[n]
		sort.Strings(ks)
		suffix := 1
		for _, k := range ks {
			for {
				name := placeholder(n, suffix)
				suffix++
				if _, clash := t[name]; !clash && !used[name] {
					renamed[k], used[name] = name, true
					break
				}
			}
		}
	}
	return renamed
}

// redactAddresses renames, in every address of snap, the instance keys
// (for_each keys, module keys) that are or contain a secret string, as a
// secret map key is renamed: a for_each over a secret's copy would print it
// in the address. The placeholder depends on the secret only, so both
// environments' addresses still match. Addresses that would collide (two
// keys containing one secret) are told apart by a suffix, in the order of
// their clear text.
func (m *Marks) redactAddresses(snap *snapshot.Snapshot) {
	if len(m.values) == 0 {
		return
	}
	addrs := sortedKeys(snap.Resources)
	var renamed map[string]*snapshot.Resource
	for _, addr := range addrs {
		if _, ok := m.redactAddress(addr, 1); ok {
			renamed = map[string]*snapshot.Resource{}
			break
		}
	}
	if renamed != nil {
		for _, addr := range addrs {
			res := snap.Resources[addr]
			name := addr
			for suffix := 1; ; suffix++ {
				n, ok := m.redactAddress(addr, suffix)
				if !ok {
					break
				}
				if _, clash := renamed[n]; !clash {
					name = n
					break
				}
			}
			res.Address = name
			renamed[name] = res
		}
		snap.Resources = renamed
	}
	for _, res := range snap.Resources {
		res.PreviousAddress, _ = m.redactAddress(res.PreviousAddress, 1)
		res.Module, _ = m.redactAddress(res.Module, 1)
	}
	for _, ch := range snap.Drift {
		ch.Address, _ = m.redactAddress(ch.Address, 1)
	}
}

// redactAddress replaces each quoted instance key of addr that is or
// contains a secret string with that secret's placeholder (see
// placeholder), and reports whether it replaced any.
func (m *Marks) redactAddress(addr string, suffix int) (string, bool) {
	if !strings.Contains(addr, `["`) {
		return addr, false
	}
	var b strings.Builder
	changed := false
	for i := 0; i < len(addr); {
		if !strings.HasPrefix(addr[i:], `["`) {
			b.WriteByte(addr[i])
			i++
			continue
		}
		j := i + 2
		for j < len(addr) && addr[j] != '"' {
			if addr[j] == '\\' {
				j++
			}
			j++
		}
		if j >= len(addr) {
			b.WriteString(addr[i:])
			break
		}
		key := addr[i+2 : j]
		if k, err := strconv.Unquote(addr[i+1 : j+1]); err == nil {
			key = k
		}
		n := 0
		if _, ok := m.values[key]; ok {
			n = m.num[key]
		} else {
			n = m.embedded(key)
		}
		if n > 0 {
			b.WriteString("[" + strconv.Quote(placeholder(n, suffix)))
			changed = true
		} else {
			b.WriteString(addr[i : j+1])
		}
		i = j + 1
	}
	if !changed {
		return addr, false
	}
	return b.String(), true
}

// placeholder is the name of secret number n as a map key.
func placeholder(n, suffix int) string {
	if suffix == 1 {
		return "(sensitive #" + strconv.Itoa(n) + ")"
	}
	return "(sensitive #" + strconv.Itoa(n) + "." + strconv.Itoa(suffix) + ")"
}

// anyIndex stands for every index of a list in a generalised mask.
const anyIndex = "*"

// generalise turns an input's own mask into a path mark: the same shape,
// except inside lists. A list element marked as a whole keeps its index (the
// sensitive one of ["x", var.secret]); a mark inside an element (a block's
// sensitive attribute) applies to every element, under anyIndex, as blocks
// are added and removed per environment.
func generalise(v, mask any) any {
	switch mk := mask.(type) {
	case bool:
		if mk {
			return true
		}
	case map[string]any:
		if t, ok := v.([]any); ok {
			var out any
			for i := range t {
				if sub := maskIndex(mk, i); sub != nil {
					out = mergeMask(out, generaliseElement(i, generalise(t[i], sub)))
				}
			}
			return out
		}
		// A map, or a value absent because it is unknown: keep the keys.
		t, _ := v.(map[string]any)
		var out map[string]any
		for k, sub := range mk {
			if g := generalise(t[k], sub); g != nil {
				if out == nil {
					out = map[string]any{}
				}
				out[k] = g
			}
		}
		if out != nil {
			return out
		}
	case []any:
		t, _ := v.([]any)
		var out any
		for i, sub := range mk {
			var e any
			if i < len(t) {
				e = t[i]
			}
			out = mergeMask(out, generaliseElement(i, generalise(e, sub)))
		}
		return out
	}
	return nil
}

func generaliseElement(i int, g any) any {
	switch {
	case g == nil:
		return nil
	case isTrue(g):
		return map[string]any{strconv.Itoa(i): true}
	}
	return map[string]any{anyIndex: g}
}

// mergeMask returns the union of two generalised masks without changing
// either: masks are shared between Marks.
func mergeMask(a, b any) any {
	switch {
	case a == nil:
		return b
	case b == nil:
		return a
	case isTrue(a) || isTrue(b):
		return true
	}
	am, aok := a.(map[string]any)
	bm, bok := b.(map[string]any)
	if !aok || !bok {
		return true
	}
	out := make(map[string]any, len(am)+len(bm))
	for k, v := range am {
		out[k] = v
	}
	for k, v := range bm {
		out[k] = mergeMask(out[k], v)
	}
	return out
}
