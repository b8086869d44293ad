package parser

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"hash"
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/lockstep-iac/lockstep/internal/jsonnum"
	"github.com/lockstep-iac/lockstep/snapshot"
)

// redactor learns the sensitive values of one input from Terraform's marks
// (the collect phase, while the input is decoded) and, once the marks of
// every input of the run are known, replaces them everywhere (the redact
// phase, Decoded.Snapshot). Terraform repeats sensitive values without marks
// (terraform_data copies a sensitive input into output), so a string once
// marked is treated as sensitive wherever it appears in the run. Only
// strings propagate by value: a sensitive `true` or `3` cannot be told apart
// from every other true or 3, and hiding those would hide real differences.
// Values of every type propagate by path (see Marks).
type redactor struct {
	key []byte
	// envTokens are the run's environment names and aliases (Options).
	envTokens []string

	// Collect phase: what this input marks, and every object it holds, to
	// learn the values at paths other inputs mark (Union).
	learned *Marks
	objects []*decodedObject
	keys    *keys
	// covers holds learnedObjects.has's verdicts (see coverMemo); masks
	// the masks decoded, by their bytes (decodeMask).
	covers coverMemo
	masks  map[string]any

	// Redact phase: the marks of the whole run. path and found record where
	// redactObject hid values: found maps the dot path of each hidden value
	// to its hash, so policies can compare secrets without seeing them.
	marks *Marks
	path  []string
	found map[string]string
	// secretKeys caches which map keys are secrets under marks.
	secretKeys keyNumbers
	// mac and macInput are sensitive's, reused from one hidden value to
	// the next: a redactor serves one goroutine at a time, and an HMAC made
	// per value was a tenth of what redacting a large plan allocated.
	mac      hash.Hash
	macInput []byte
}

// minEmbedded is the shortest secret searched for inside longer strings.
// Shorter ones ("1", "yes") would hide every string containing them.
const minEmbedded = 6

// Names of the pseudo-resources that carry root variables and outputs, so
// that a variable or output marked sensitive in one input marks the one of
// the same name in every other (see Marks). Parentheses keep them apart from
// any resource type.
const (
	variableType = "(variable)"
	outputType   = "(output)"
)

func newRedactor(key []byte, envTokens []string) *redactor {
	return &redactor{key: key, envTokens: envTokens, learned: newMarks(), keys: newKeys(), covers: coverMemo{}, masks: map[string]any{}}
}

// collectObject records o as an object of resource type typ and name name,
// and learns what its mask marks.
func (r *redactor) collectObject(typ, name string, o *decodedObject) {
	if o == nil {
		return
	}
	o.id = typ + "." + name
	r.objects = append(r.objects, o)
	if o.mask != nil {
		r.learned.collect(o.values, o.mask, true)
		if !coveredGeneral(r.learned.paths[o.id], o.values, o.mask) {
			r.learned.markPath(o.id, generalise(o.values, o.mask))
		}
	}
}

// collectNamed records a root variable's or output's value v, marked as mask
// says (true when the variable or output is sensitive).
func (r *redactor) collectNamed(typ, name string, v, mask any) {
	o := &decodedObject{values: snapshot.AttributesOf([]string{"value"}, []any{v})}
	if nonEmptyMask(mask) != nil {
		o.mask = map[string]any{"value": mask}
	}
	r.collectObject(typ, name, o)
}

// collectVariables records the root module's variables: every value a plan
// gives them and every default, marked when the variable is sensitive.
func (r *redactor) collectVariables(d *document) {
	names := map[string]bool{}
	for name := range d.Variables {
		names[name] = true
	}
	if d.Configuration != nil {
		for name := range d.Configuration.RootModule.Variables {
			names[name] = true
		}
	}
	for name := range names {
		sensitive := false
		if d.Configuration != nil {
			if v, ok := d.Configuration.RootModule.Variables[name]; ok {
				sensitive = v.Sensitive
				if v.Default != nil {
					r.collectNamed(variableType, name, v.Default, sensitive)
				}
			}
		}
		if pv, ok := d.Variables[name]; ok {
			r.collectNamed(variableType, name, pv.Value, sensitive)
		}
	}
}

// redactObject replaces, in place, the marked parts of o's values (by its
// own mask and by the run's marks for its resource) and every secret string
// inside them. It returns the values and, when something was hidden, the
// dot path of every hidden value mapped to its hash.
func (r *redactor) redactObject(o *decodedObject) (*snapshot.Attributes, map[string]string) {
	if o == nil || o.values == nil {
		return nil, nil
	}
	a, mask, gmask := o.values, o.mask, r.marks.paths[o.id]
	r.path, r.found = r.path[:0], nil
	if isTrue(mask) || isTrue(gmask) {
		// The whole object was marked: keep the names, hide every value.
		for i, k := range a.Names() {
			a.SetAt(i, r.hide([]string{k}, a.At(i)))
		}
		return a, r.found
	}
	if r.secretKeys.m != r.marks {
		r.secretKeys = keyNumbers{m: r.marks}
	}
	if slices.ContainsFunc(a.Names(), func(k string) bool { return r.secretKeys.isSecret(k, true) }) {
		// An attribute named after a secret is renamed: the names are no
		// longer the shape's, and the map's redaction does it.
		out, _ := r.redact(a.Map(), mask, gmask).(map[string]any)
		return snapshot.NewAttributes(out), r.found
	}
	for i, k := range a.Names() {
		r.path = append(r.path[:0], k)
		// In place: a resource's own values object is never shared.
		if nv, changed := r.redacted(a.At(i), maskKey(mask, k), maskKey(gmask, k)); changed {
			a.SetAt(i, nv)
		}
	}
	r.path = r.path[:0]
	return a, r.found
}

// hide returns the marker for v and records it at path.
func (r *redactor) hide(path []string, v any) snapshot.Sensitive {
	s := r.sensitive(v)
	if r.found == nil {
		r.found = map[string]string{}
	}
	r.found[strings.Join(path, ".")] = s.Hash
	return s
}

// redact hides v where mask (the input's own, exact) or gmask (the run's,
// generalised over list indexes) marks it, and every secret string in it.
func (r *redactor) redact(v, mask, gmask any) any {
	out, _ := r.redacted(v, mask, gmask)
	return out
}

// redacted is redact, and whether v was replaced by another value (a
// marker, or a map with keys renamed): a map's member is assigned only
// then, since assigning each member of every value costs a map write per
// attribute of every resource. A map or list is copied before its first
// member is replaced, never changed, below the values object itself: the
// decoder shares equal small values between resources (decodeShared), and
// one resource's marks must not hide another's values.
func (r *redactor) redacted(v, mask, gmask any) (any, bool) {
	if isTrue(mask) || isTrue(gmask) {
		if v == nil {
			return nil, false
		}
		return r.hide(r.path, v), true
	}
	switch t := v.(type) {
	case string:
		if r.marks.isSecret(t) {
			return r.hide(r.path, t), true
		}
	case *snapshot.Attributes:
		return r.redactedAttributes(t, mask, gmask)
	case map[string]any:
		// A secret used as a map key would be printed in attribute paths:
		// the key is renamed, and the paths below it recorded under the
		// new name.
		if r.secretKeys.m != r.marks {
			r.secretKeys = keyNumbers{m: r.marks}
		}
		// One pass over the members: those under a secret key wait for
		// their new name, which depends on the map's other keys.
		top := len(r.path) == 0
		var secret []string
		var out map[string]any // t's copy, made at the first member replaced
		for k, sub := range t {
			if r.secretKeys.isSecret(k, top) {
				secret = append(secret, k)
				continue
			}
			r.path = append(r.path, k)
			if nv, changed := r.redacted(sub, maskKey(mask, k), maskKey(gmask, k)); changed {
				if top {
					t[k] = nv // a resource's own values object: never shared
				} else {
					if out == nil {
						out = maps.Clone(t)
					}
					out[k] = nv
				}
			}
			r.path = r.path[:len(r.path)-1]
		}
		if len(secret) > 0 {
			if out == nil {
				out = maps.Clone(t)
			}
			renamed := r.secretKeys.keyNames(t, secret, top)
			for _, k := range secret {
				r.path = append(r.path, renamed[k])
				if nv, changed := r.redacted(t[k], maskKey(mask, k), maskKey(gmask, k)); changed {
					out[k] = nv
				}
				r.path = r.path[:len(r.path)-1]
			}
			final := make(map[string]any, len(out))
			for k, sub := range out {
				if n, ok := renamed[k]; ok {
					k = n
				}
				final[k] = sub
			}
			return final, true
		}
		if out != nil {
			return out, true
		}
	case []any:
		var out []any
		for i, sub := range t {
			r.path = append(r.path, strconv.Itoa(i))
			if nv, changed := r.redacted(sub, maskIndex(mask, i), maskIndex(gmask, i)); changed {
				if out == nil {
					out = slices.Clone(t)
				}
				out[i] = nv
			}
			r.path = r.path[:len(r.path)-1]
		}
		if out != nil {
			return out, true
		}
	}
	return v, false
}

// redactedAttributes is redacted for an object below a resource's values:
// copied before its first member is replaced (the decoder shares equal
// small objects between resources), its names kept. One whose names hold
// a secret is redacted as a map, which renames them.
func (r *redactor) redactedAttributes(t *snapshot.Attributes, mask, gmask any) (any, bool) {
	if r.secretKeys.m != r.marks {
		r.secretKeys = keyNumbers{m: r.marks}
	}
	if slices.ContainsFunc(t.Names(), func(k string) bool { return r.secretKeys.isSecret(k, false) }) {
		out, _ := r.redacted(t.Map(), mask, gmask)
		if m, ok := out.(map[string]any); ok {
			return snapshot.NewAttributes(m), true
		}
		return out, true
	}
	var out *snapshot.Attributes
	for i, k := range t.Names() {
		r.path = append(r.path, k)
		if nv, changed := r.redacted(t.At(i), maskKey(mask, k), maskKey(gmask, k)); changed {
			if out == nil {
				out = t.Clone()
			}
			out.SetAt(i, nv)
		}
		r.path = r.path[:len(r.path)-1]
	}
	if out != nil {
		return out, true
	}
	return t, false
}

func isTrue(mask any) bool { b, ok := mask.(bool); return ok && b }

func maskKey(mask any, k string) any {
	if m, ok := mask.(map[string]any); ok {
		return m[k]
	}
	return nil
}

// maskIndex returns the mask of list element i: from a list-shaped mask
// (plan and state JSON), a map keyed by index (raw state), or a generalised
// mask's "*" (Marks).
func maskIndex(mask any, i int) any {
	switch m := mask.(type) {
	case []any:
		if i < len(m) {
			return m[i]
		}
	case map[string]any:
		if sub, ok := m[strconv.Itoa(i)]; ok {
			return sub
		}
		return m[anyIndex]
	}
	return nil
}

// sensitive returns the marker for v: an HMAC of its canonical JSON.
func (r *redactor) sensitive(v any) snapshot.Sensitive {
	if s, ok := v.(snapshot.Sensitive); ok {
		return s
	}
	switch t := v.(type) {
	case string:
		r.macInput = append(append(r.macInput[:0], "s:"...), t...)
	default:
		r.macInput = appendCanonical(append(r.macInput[:0], "j:"...), t)
	}
	if r.mac == nil {
		r.mac = hmac.New(sha256.New, r.key)
	} else {
		r.mac.Reset()
	}
	r.mac.Write(r.macInput)
	var sum [sha256.Size]byte
	return snapshot.Sensitive{Hash: hex.EncodeToString(r.mac.Sum(sum[:0])[:16]), Weak: weak(v), Tokens: r.tokensIn(v)}
}

// weak reports whether a sensitive value is too plain to be a credential,
// so that two environments sharing it is not worth a finding.
func weak(v any) bool {
	switch t := v.(type) {
	case string:
		return len(t) < snapshot.MinSecretLength
	case *snapshot.Attributes:
		for _, e := range t.All() {
			if !weak(e) {
				return false
			}
		}
	case map[string]any:
		for _, e := range t {
			if !weak(e) {
				return false
			}
		}
	case []any:
		for _, e := range t {
			if !weak(e) {
				return false
			}
		}
	}
	return true
}

// appendCanonical writes v as JSON with sorted keys and numbers in their
// canonical spelling (1e2 and 100 are one value, as parity compares them). A
// marker already inside v is written with its hash: Sensitive's MarshalJSON
// would print only "(sensitive)", and two different secrets must not hash
// alike.
func appendCanonical(b []byte, v any) []byte {
	switch t := v.(type) {
	case json.Number:
		if c, ok := jsonnum.Canonical(string(t)); ok {
			return append(b, c...)
		}
	case snapshot.Sensitive:
		return append(append(append(b, `{"(sensitive)":"`...), t.Hash...), `"}`...)
	case *snapshot.Attributes:
		b = append(b, '{')
		for i, k := range t.Names() {
			if i > 0 {
				b = append(b, ',')
			}
			b = strconv.AppendQuote(b, k)
			b = append(b, ':')
			b = appendCanonical(b, t.At(i))
		}
		return append(b, '}')
	case map[string]any:
		b = append(b, '{')
		for i, k := range sortedKeys(t) {
			if i > 0 {
				b = append(b, ',')
			}
			b = strconv.AppendQuote(b, k)
			b = append(b, ':')
			b = appendCanonical(b, t[k])
		}
		return append(b, '}')
	case []any:
		b = append(b, '[')
		for i, e := range t {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendCanonical(b, e)
		}
		return append(b, ']')
	}
	j, err := json.Marshal(v)
	if err != nil {
		return append(b, '?')
	}
	return append(b, j...)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
