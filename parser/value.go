package parser

import (
	"bytes"
	"encoding/json"
	"errors"
	"hash/maphash"
	"slices"
	"strings"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/lockstep-iac/lockstep/internal/jsonkind"
	"github.com/lockstep-iac/lockstep/snapshot"
)

// keys interns the object keys of one input's values: a plan repeats the
// same few hundred attribute names for every resource, three times, and
// one string per name instead of one per occurrence is most of the memory a
// decoded plan saves. It is bounded, so a hostile input of unique keys
// costs no more than without it.
type keys struct {
	names map[string]string
	// strs and nums intern short values, boxed: a string or number held
	// in an any costs an allocation of its own, and the same "gp3" or
	// 3000 repeats in every resource.
	strs, nums map[string]any
	// stack holds the members and elements of the objects and arrays
	// being decoded, so that each map and slice is made once at its final
	// size: growing a map rehashes it, and a resource object's map grows
	// several times. Reused from one value to the next of the input.
	stack scratch
	// shared holds the small objects and arrays met twice in the
	// input's resource values, decoded, by their bytes; sighted, the
	// hashes of those met once (see lookupShared). Both are bounded as
	// names is.
	shared  map[string]any
	sighted map[uint64]struct{}
	// words interns the short strings every entry of a section repeats:
	// its mode, type, name, provider, module address and status
	// (sectionDecoder.word). Bounded as the values are.
	words map[string]string
	// actions holds the change entries' lists of actions, by their bytes
	// (sectionDecoder.actions).
	actions map[string][]string
	// shapes holds the lists of names of the resource objects decoded,
	// by a hash of the names: every resource of a type has the same, and
	// its objects share one list (snapshot.Attributes). Bounded as names
	// is.
	shapes map[uint64][]string
	// tops holds the hints of the last resource objects decoded, of
	// distinct first names, most recent first (hint).
	tops [maxTops]*hint
	// exponent is set once a number written with an exponent (1e5) has
	// been decoded: only such a number can be beyond what the policy
	// engine holds (jsonnum.RegoSafe), and an input without one spares
	// the policy input a walk of every value (Snapshot.NoExponents).
	exponent bool
}

// scratch is the decoder's stack of members and elements read but not yet
// placed: an object or array appends its own above those of the values
// that enclose it, and truncates back when it is made.
type scratch struct {
	members []member
	items   []any
	// kids holds, beside members, the hints for their values (hint).
	kids []*hint
}

// reset empties the stack after an error, which leaves members, elements
// and hints on it.
func (s *scratch) reset() {
	clear(s.members)
	clear(s.items)
	clear(s.kids)
	s.members, s.items, s.kids = s.members[:0], s.items[:0], s.kids[:0]
}

// hint is what the last object or array decoded at one place of a
// resource's values held, to predict the next one there: a plan's
// resources of a type have the same attributes, in the same order, with
// the same blocks inside, and a name read where the hint expects it needs
// no lookup in the input's interned names (keys.names), nor its object's
// shape a hash (keys.shape); and many of their values repeat too (a
// type's defaults, a shared role's ARN, a policy document), a string or
// number equal to the last one there needs neither a lookup among the
// short values (keys.value) nor, if long, a copy of its own. An object's
// hint has its names, a list shared with the Attributes made, their
// values (the Attributes' own list) and the hints of its members' values;
// an array's, the hint of its elements. A hint is only a prediction: a
// name that differs from it is interned as before, and the object then
// leaves a new hint; a value that differs is decoded as before.
type hint struct {
	names []string
	vals  []any
	kids  []*hint
	elem  *hint
}

// maxTops is how many resource objects' hints an input keeps, most recent
// first (keys.tops): prior_state lists a module's resources sorted by
// type, so the previous resource's mostly predicts the next, and a few
// more serve data sources and modules interleaved.
const maxTops = 8

type member struct {
	key string
	v   any
}

func newKeys() *keys {
	return &keys{names: map[string]string{}, strs: map[string]any{}, nums: map[string]any{},
		shared: map[string]any{}, sighted: map[uint64]struct{}{}, shapes: map[uint64][]string{},
		words: map[string]string{}, actions: map[string][]string{}}
}

// shape returns the names of members, sorted and without repeats, as a
// list shared with every earlier object of the input that has the same
// names.
func (k *keys) shape(members []member) []string {
	if k == nil {
		return memberNames(members)
	}
	var h maphash.Hash
	h.SetSeed(sharedSeed)
	for _, mb := range members {
		h.WriteString(mb.key)
		h.WriteByte(0) // names hold no NUL before it: "ab","c" is not "a","bc"
	}
	sum := h.Sum64()
	if names, ok := k.shapes[sum]; ok && len(names) == len(members) {
		same := true
		for i, mb := range members {
			if names[i] != mb.key {
				same = false
				break
			}
		}
		if same {
			return names
		}
	}
	names := memberNames(members)
	if _, taken := k.shapes[sum]; !taken && len(k.shapes) < maxInterned {
		k.shapes[sum] = names
	}
	return names
}

// top returns the hint of the last resource object decoded whose first
// name is first, or nil.
func (k *keys) top(first []byte) *hint {
	for _, h := range k.tops {
		if h == nil {
			return nil
		}
		if len(h.names) > 0 && h.names[0] == string(first) {
			return h
		}
	}
	return nil
}

// remember makes h, a resource object's hint, the most recent of tops,
// in place of the one with the same first name.
func (k *keys) remember(h *hint) {
	if len(h.names) == 0 || k.tops[0] == h {
		return
	}
	at := len(k.tops) - 1
	for i, t := range k.tops {
		if t == nil || t == h || t.names[0] == h.names[0] {
			at = i
			break
		}
	}
	copy(k.tops[1:at+1], k.tops[:at])
	k.tops[0] = h
}

func memberNames(members []member) []string {
	names := make([]string, len(members))
	for i, mb := range members {
		names[i] = mb.key
	}
	return names
}

// maxSharedValue is the longest object or array (in bytes) decoded once
// and shared by every resource value that holds the same bytes. Providers
// repeat small nested blocks with defaults ({"enabled": false},
// metadata_options, timeouts, empty tags) in every resource of a type,
// and a map per occurrence was most of what decoding allocated; longer
// blocks are mostly unique.
const maxSharedValue = 256

// sharedSeed hashes the values seen once; a collision only shares a value
// at its first repetition instead of its second.
var sharedSeed = maphash.MakeSeed()

// lookupShared returns the value decoded for raw, an object or array, if
// it was met twice before, and whether raw is met for the second time (to
// be decoded and kept).
func (k *keys) lookupShared(raw []byte) (v any, ok, keep bool) {
	if v, ok := k.shared[string(raw)]; ok {
		return v, true, false
	}
	h := maphash.Bytes(sharedSeed, raw)
	if _, seen := k.sighted[h]; seen {
		return nil, false, len(k.shared) < maxRepeats
	}
	if len(k.sighted) < maxRepeats {
		k.sighted[h] = struct{}{}
	}
	return nil, false, false
}

const maxInterned = 1 << 16

// maxRepeats bounds the values and the small blocks interned (keys.value,
// lookupShared), far below maxInterned: the ones that repeat in an input
// (gp3, enabled, a region, an empty tags block, a type's default blocks)
// are a few hundred and come with its first resources, and the rest are
// identifiers and blocks unique to one resource, which an interning map
// only holds a second time, growing, to the end of the reading. At 65,536
// they were 20 MB more of 10k x 2's peak (the maps filled with unique
// values and their growth left the rest behind); at 4,096, 141 MB against
// 168 MB of peak RSS, and faster (docs/performance.md, round 8).
const maxRepeats = 1 << 12

// maxInternedValue is the longest string value interned: longer ones are
// mostly identifiers, unique per resource.
const maxInternedValue = 16

func (k *keys) intern(b []byte) string {
	if k == nil {
		return string(b)
	}
	return internIn(k.names, b, maxInterned)
}

// word returns b as a string, interned (keys.words).
func (k *keys) word(b []byte) string { return internIn(k.words, b, maxRepeats) }

// internIn returns the string of b held in m, adding it while m holds
// fewer than limit.
func internIn(m map[string]string, b []byte, limit int) string {
	if s, ok := m[string(b)]; ok {
		return s
	}
	s := string(b)
	if len(m) < limit {
		m[s] = s
	}
	return s
}

// value returns the boxed string (or, for a number, json.Number) of b,
// interned when short.
func (k *keys) value(b []byte, number bool) any {
	if number && k != nil && !k.exponent && bytes.ContainsAny(b, "eE") {
		k.exponent = true
	}
	if k == nil || len(b) > maxInternedValue {
		if number {
			return json.Number(b)
		}
		return string(b)
	}
	m := k.strs
	if number {
		m = k.nums
	}
	if x, ok := m[string(b)]; ok {
		return x
	}
	var x any = string(b)
	if number {
		x = json.Number(b)
	}
	if len(m) < maxRepeats {
		m[string(b)] = x
	}
	return x
}

// errValue is a value decodeJSON cannot read. Every input it is given has
// been validated as JSON first (by package guard or the streaming reader),
// so it is never reported.
var errValue = errors.New("malformed JSON value")

// errDuplicate is an object with two members of the same name, which the
// streaming reader leaves to decodeJSON to find.
var errDuplicate = errors.New("an object has the same key twice")

// decodeJSON decodes src, one JSON value already validated (syntax, UTF-8;
// duplicate keys it refuses itself), into what encoding/json's Decoder with UseNumber gives:
// map[string]any, []any, string, json.Number, bool and nil. It skips the
// validation and reflection encoding/json pays, and interns keys.
func decodeJSON(src []byte, k *keys) (any, error) {
	return decodeValueBytes(src, k, false)
}

// decodeShared is decodeJSON for a resource's values: the small objects
// and arrays inside it that repeat in the input are decoded once and
// shared (keys.shared). Nothing may change a value decoded so; the
// redactor copies a map or list before it hides a member.
func decodeShared(src []byte, k *keys) (any, error) {
	return decodeValueBytes(src, k, k != nil)
}

// decodeAttributes is decodeShared for a resource's values object: it and
// every object inside it become snapshot.Attributes, their names shared
// with the input's other objects of the same shape (keys.shape). It
// returns nil for an absent or null value, and errNotObject, with what it
// found, for anything else that is not an object.
func decodeAttributes(src []byte, k *keys) (*snapshot.Attributes, error) {
	p := valueParser{src: src, keys: k, share: k != nil, attrs: true}
	p.space()
	if p.pos >= len(p.src) || p.src[p.pos] != '{' {
		v, err := decodeShared(src, k)
		switch {
		case err != nil:
			return nil, err
		case v == nil:
			return nil, nil
		}
		return nil, &errNotObject{jsonkind.Of(v)}
	}
	if k != nil {
		p.stack = &k.stack
	} else {
		p.stack = &scratch{}
	}
	a, err := p.attributes()
	if err == nil {
		if p.space(); p.pos != len(p.src) {
			err = errValue
		}
	}
	if err != nil {
		p.stack.reset()
		return nil, err
	}
	return a, nil
}

// errNotObject is a resource's values that are not an object.
type errNotObject struct{ found jsonkind.Kind }

func (e *errNotObject) Error() string { return "should be an object, found " + e.found.Phrase() }

func decodeValueBytes(src []byte, k *keys, share bool) (any, error) {
	p := valueParser{src: src, keys: k, share: share}
	if k != nil {
		p.stack = &k.stack
	} else {
		p.stack = &scratch{}
	}
	p.space()
	v, _, err := p.value(nil, nil)
	if err != nil {
		p.stack.reset()
		return nil, err
	}
	if p.space(); p.pos != len(p.src) {
		return nil, errValue
	}
	return v, nil
}

type valueParser struct {
	src   []byte
	pos   int
	keys  *keys
	stack *scratch
	// share is set for a resource's values; depth counts the containers
	// open around the parser's position (the values' own object is 1).
	share bool
	depth int
	// attrs makes objects Attributes instead of maps: a resource's values.
	attrs bool
}

func (p *valueParser) space() {
	for p.pos < len(p.src) {
		switch p.src[p.pos] {
		case ' ', '\t', '\r', '\n':
			p.pos++
		default:
			return
		}
	}
}

// value decodes the value at p.pos. For a resource's values (attrs) it
// takes the hint of the value decoded last at the same place and returns
// the one to keep there: h itself for anything but an object or array;
// and prev, the value decoded last there, which it returns in place of a
// string or number of the same text.
func (p *valueParser) value(h *hint, prev any) (any, *hint, error) {
	if p.pos >= len(p.src) {
		return nil, h, errValue
	}
	switch c := p.src[p.pos]; {
	case c == '{' || c == '[':
		if p.share && p.depth > 0 {
			return p.sharedContainer(h)
		}
		return p.container(h)
	case c == '"':
		b, quoted, err := p.str()
		if err != nil {
			return nil, h, err
		}
		if quoted {
			v, err := unquote(b)
			return v, h, err
		}
		if s, ok := prev.(string); ok && s == string(b) {
			return prev, h, nil
		}
		// Short values repeat too ("gp3", "enabled", "default").
		return p.keys.value(b, false), h, nil
	case c == 't':
		return true, h, p.literal("true")
	case c == 'f':
		return false, h, p.literal("false")
	case c == 'n':
		return nil, h, p.literal("null")
	case c == '-' || c >= '0' && c <= '9':
		start := p.pos
		for p.pos < len(p.src) && numberByte(p.src[p.pos]) {
			p.pos++
		}
		if n, ok := prev.(json.Number); ok && string(n) == string(p.src[start:p.pos]) {
			return prev, h, nil
		}
		return p.keys.value(p.src[start:p.pos], true), h, nil
	}
	return nil, h, errValue
}

func (p *valueParser) container(h *hint) (any, *hint, error) {
	p.depth++
	defer func() { p.depth-- }()
	if p.src[p.pos] == '{' {
		return p.object(h)
	}
	return p.array(h)
}

// sharedContainer decodes the object or array at p.pos, or returns the
// value decoded for the same bytes before.
func (p *valueParser) sharedContainer(h *hint) (any, *hint, error) {
	end := containerEnd(p.src, p.pos, maxSharedValue)
	if end < 0 {
		return p.container(h)
	}
	raw := p.src[p.pos:end]
	v, ok, keep := p.keys.lookupShared(raw)
	if ok {
		p.pos = end
		return v, h, nil
	}
	v, h, err := p.container(h)
	if err == nil && keep && p.pos == end {
		p.keys.shared[string(raw)] = v
	}
	return v, h, err
}

// containerEnd returns the offset just past the object or array that
// starts at src[start], or -1 when it is longer than limit bytes (or not
// closed in src).
func containerEnd(src []byte, start, limit int) int {
	depth := 0
	end := min(len(src), start+limit)
	for i := start; i < end; i++ {
		switch src[i] {
		case '"':
			for i++; i < end && src[i] != '"'; i++ {
				if src[i] == '\\' {
					i++
				}
			}
		case '{', '[':
			depth++
		case '}', ']':
			if depth--; depth == 0 {
				return i + 1
			}
		}
	}
	return -1
}

func numberByte(c byte) bool {
	return c >= '0' && c <= '9' || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E'
}

func (p *valueParser) literal(word string) error {
	if len(p.src)-p.pos < len(word) || string(p.src[p.pos:p.pos+len(word)]) != word {
		return errValue
	}
	p.pos += len(word)
	return nil
}

// str reads the string at p.pos. Without escapes it returns the bytes
// between the quotes; with them, the whole quoted string and true.
func (p *valueParser) str() ([]byte, bool, error) {
	start := p.pos
	escaped := false
	for i := start + 1; i < len(p.src); i++ {
		switch p.src[i] {
		case '\\':
			escaped = true
			i++
		case '"':
			p.pos = i + 1
			if escaped {
				return p.src[start : i+1], true, nil
			}
			return p.src[start+1 : i], false, nil
		}
	}
	return nil, false, errValue
}

func unquote(quoted []byte) (string, error) {
	b, err := jsontext.AppendUnquote(nil, quoted)
	if err != nil {
		return "", errValue
	}
	return string(b), nil
}

// object decodes the object at p.pos, a map or, for a resource's values,
// Attributes. h is the hint of the object decoded last here (for the
// resource's own object, depth 1, the last resource's with the same first
// name); while every name read is the one h predicts, each is taken from
// it and its value decoded with its own hint.
func (p *valueParser) object(h *hint) (any, *hint, error) {
	p.pos++
	p.space()
	if p.pos < len(p.src) && p.src[p.pos] == '}' {
		p.pos++
		if p.attrs {
			return snapshot.AttributesOf(nil, []any{}), h, nil
		}
		return map[string]any{}, h, nil
	}
	if !p.attrs || p.keys == nil {
		h = nil
	}
	base, kids := len(p.stack.members), len(p.stack.kids)
	for i := 0; ; i++ {
		var kid *hint
		var prev any
		predicted := ""
		if h != nil && i < len(h.names) {
			predicted, prev, kid = h.names[i], h.vals[i], h.kids[i]
		}
		name, got, err := p.member(predicted, prev, kid)
		if err != nil {
			return nil, h, err
		}
		if h != nil && !got {
			if i == 0 && p.depth == 1 {
				// Another type's resource: its own last one's hint,
				// for the members after the first.
				h = p.keys.top(name)
			} else {
				h = nil
			}
		}
		p.space()
		if p.pos >= len(p.src) {
			return nil, h, errValue
		}
		switch p.src[p.pos] {
		case ',':
			p.pos++
		case '}':
			p.pos++
			if !p.attrs {
				v, err := p.makeObject(base)
				return v, nil, err
			}
			if h != nil && i+1 != len(h.names) {
				h = nil
			}
			return p.makeAttributes(base, kids, h)
		default:
			return nil, h, errValue
		}
	}
}

// attributes reads the object at p.pos as a resource's attributes, with
// the hint of the input's last resource object and leaving its own.
func (p *valueParser) attributes() (*snapshot.Attributes, error) {
	var h *hint
	if p.keys != nil {
		h = p.keys.tops[0]
	}
	v, h, err := p.container(h)
	if err != nil {
		return nil, err
	}
	if h != nil {
		p.keys.remember(h)
	}
	return v.(*snapshot.Attributes), nil
}

// makeAttributes makes the Attributes of the members above base, and pops
// them and their hints (above kids): sorted by name (Terraform writes them
// so already), refused if a name repeats, their names shared with the
// input's other objects of the same shape. same is the hint whose names
// every member's name was, in order, if any: its names are the list, and
// it takes the members' values and hints. Otherwise it returns a new
// hint, unless the names had to be sorted.
func (p *valueParser) makeAttributes(base, kids int, same *hint) (*snapshot.Attributes, *hint, error) {
	members := p.stack.members[base:]
	var names []string
	sorted := true
	if same != nil {
		names = same.names
	} else {
		for i := 1; i < len(members); i++ {
			if members[i-1].key >= members[i].key {
				sorted = false
				break
			}
		}
		if !sorted {
			slices.SortStableFunc(members, func(a, b member) int { return strings.Compare(a.key, b.key) })
			for i := 1; i < len(members); i++ {
				if members[i-1].key == members[i].key {
					return nil, nil, errDuplicate
				}
			}
		}
		names = p.keys.shape(members)
	}
	values := make([]any, len(members))
	for i := range members {
		values[i] = members[i].v
		members[i] = member{} // the stack must not keep the value alive
	}
	p.stack.members = p.stack.members[:base]
	h := same
	if k := p.stack.kids[kids:]; len(k) > 0 {
		switch {
		case same != nil:
			same.vals = values
			copy(same.kids, k)
		case sorted && p.keys != nil:
			h = &hint{names: names, vals: values, kids: slices.Clone(k)}
		}
		clear(k)
		p.stack.kids = p.stack.kids[:kids]
	}
	return snapshot.AttributesOf(names, values), h, nil
}

// makeObject makes the map of the members above base, at its size, and
// pops them.
func (p *valueParser) makeObject(base int) (any, error) {
	members := p.stack.members[base:]
	m := make(map[string]any, len(members))
	for i, mb := range members {
		if m[mb.key] = mb.v; len(m) == i {
			return nil, errDuplicate
		}
		members[i] = member{} // the stack must not keep the value alive
	}
	p.stack.members = p.stack.members[:base]
	return m, nil
}

// member reads one member of an object, name and value, onto the stack,
// and its value's hint beside it for Attributes. It returns the name read
// (its bytes, valid until the parser's input changes) and whether it is
// predicted, the name its hint expects, whose value it decodes with kid
// and prev.
func (p *valueParser) member(predicted string, prev any, kid *hint) ([]byte, bool, error) {
	p.space()
	if p.pos >= len(p.src) || p.src[p.pos] != '"' {
		return nil, false, errValue
	}
	b, quoted, err := p.str()
	if err != nil {
		return nil, false, err
	}
	var key string
	got := false
	switch {
	case quoted:
		if key, err = unquote(b); err != nil {
			return nil, false, err
		}
	case predicted != "" && string(b) == predicted:
		key, got = predicted, true
	default:
		key = p.keys.intern(b)
	}
	if !got {
		prev, kid = nil, nil
	}
	p.space()
	if p.pos >= len(p.src) || p.src[p.pos] != ':' {
		return nil, false, errValue
	}
	p.pos++
	p.space()
	v, kid, err := p.value(kid, prev)
	if err != nil {
		return nil, false, err
	}
	p.stack.members = append(p.stack.members, member{key, v})
	if p.attrs {
		p.stack.kids = append(p.stack.kids, kid)
	}
	return b, got, nil
}

// array decodes the array at p.pos, its elements with the hint of the
// elements decoded last here.
func (p *valueParser) array(h *hint) (any, *hint, error) {
	p.pos++
	p.space()
	if p.pos < len(p.src) && p.src[p.pos] == ']' {
		p.pos++
		return []any{}, h, nil
	}
	var elem *hint
	if h != nil {
		elem = h.elem
	}
	base := len(p.stack.items)
	for {
		p.space()
		v, e, err := p.value(elem, nil)
		if err != nil {
			return nil, h, err
		}
		elem = e
		p.stack.items = append(p.stack.items, v)
		p.space()
		if p.pos >= len(p.src) {
			return nil, h, errValue
		}
		switch p.src[p.pos] {
		case ',':
			p.pos++
		case ']':
			p.pos++
			items := p.stack.items[base:]
			a := slices.Clone(items)
			clear(items)
			p.stack.items = p.stack.items[:base]
			switch {
			case !p.attrs || elem == nil:
			case h != nil:
				h.elem = elem
			default:
				h = &hint{elem: elem}
			}
			return a, h, nil
		default:
			return nil, h, errValue
		}
	}
}
