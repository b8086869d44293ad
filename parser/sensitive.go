package parser

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"sort"
	"strconv"
	"strings"

	"github.com/lockstep-iac/lockstep/snapshot"
)

// redactor learns the sensitive values of one input from Terraform's marks
// and then replaces them everywhere. Terraform repeats sensitive values
// without marks (terraform_data copies a sensitive input into output), so a
// string once marked is treated as sensitive wherever it appears in the same
// input. Only strings propagate: a sensitive `true` or `3` cannot be told apart
// from every other true or 3, and hiding those would hide real differences.
type redactor struct {
	key     []byte
	secrets map[string]struct{}
	// long holds the secrets long enough to look for inside other strings
	// (a password embedded in a connection string); built on first use.
	long []string
	done bool
	// path and found record where redactObject hid values: found maps the
	// dot path of each hidden value to its hash, so policies can compare
	// secrets without seeing them.
	path  []string
	found map[string]string
}

// minEmbedded is the shortest secret searched for inside longer strings.
// Shorter ones ("1", "yes") would hide every string containing them.
const minEmbedded = 6

func newRedactor(key []byte) *redactor {
	return &redactor{key: key, secrets: map[string]struct{}{}}
}

// collect records every string under the parts of v that mask marks.
func (r *redactor) collect(v, mask any) {
	switch m := mask.(type) {
	case bool:
		if m {
			r.collectAll(v)
		}
	case map[string]any:
		switch t := v.(type) {
		case map[string]any:
			for k, sub := range m {
				r.collect(t[k], sub)
			}
		case []any:
			for k, sub := range m {
				if i, err := strconv.Atoi(k); err == nil && i >= 0 && i < len(t) {
					r.collect(t[i], sub)
				}
			}
		}
	case []any:
		if t, ok := v.([]any); ok {
			for i := range min(len(t), len(m)) {
				r.collect(t[i], m[i])
			}
		}
	}
}

func (r *redactor) collectAll(v any) {
	switch t := v.(type) {
	case string:
		if t != "" {
			r.secrets[t] = struct{}{}
		}
	case map[string]any:
		// Keys are not learned: without provider schemas a marked object
		// (whose keys are attribute names) cannot be told from a map.
		for _, sub := range t {
			r.collectAll(sub)
		}
	case []any:
		for _, sub := range t {
			r.collectAll(sub)
		}
	}
}

// redactObject replaces, in place, the marked parts of m and every learned
// secret string inside it. It returns the object and, when something was
// hidden, the dot path of every hidden value mapped to its hash.
func (r *redactor) redactObject(m map[string]any, mask any) (map[string]any, map[string]string) {
	if m == nil {
		return nil, nil
	}
	if mask == nil && len(r.secrets) == 0 {
		return m, nil
	}
	r.path, r.found = r.path[:0], nil
	if out, ok := r.redact(m, mask).(map[string]any); ok {
		return out, r.found
	}
	// The whole object was marked: keep the keys, hide every value.
	out := make(map[string]any, len(m))
	r.found = nil
	for k, v := range m {
		out[k] = r.hide([]string{k}, v)
	}
	return out, r.found
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

func (r *redactor) redact(v, mask any) any {
	if b, ok := mask.(bool); ok && b {
		if v == nil {
			return nil
		}
		return r.hide(r.path, v)
	}
	switch t := v.(type) {
	case string:
		if r.isSecret(t) {
			return r.hide(r.path, t)
		}
	case map[string]any:
		mm, _ := mask.(map[string]any)
		var hidden []string
		for k, sub := range t {
			var sm any
			if mm != nil {
				sm = mm[k]
			}
			// A secret used as a map key would be printed in attribute
			// paths: the key is renamed after its hash, below, and the
			// path recorded under the new name.
			name := k
			if r.isSecret(k) {
				hidden = append(hidden, k)
				name = secretKey(r.sensitive(k))
			}
			r.path = append(r.path, name)
			t[k] = r.redact(sub, sm)
			r.path = r.path[:len(r.path)-1]
		}
		for _, k := range hidden {
			t[secretKey(r.sensitive(k))] = t[k]
			delete(t, k)
		}
	case []any:
		for i, sub := range t {
			r.path = append(r.path, strconv.Itoa(i))
			t[i] = r.redact(sub, maskIndex(mask, i))
			r.path = r.path[:len(r.path)-1]
		}
	}
	return v
}

func secretKey(s snapshot.Sensitive) string { return "(sensitive:" + s.Hash[:8] + ")" }

// isSecret reports whether s is a learned secret or contains one.
func (r *redactor) isSecret(s string) bool {
	if _, ok := r.secrets[s]; ok {
		return true
	}
	if !r.done {
		for k := range r.secrets {
			if len(k) >= minEmbedded {
				r.long = append(r.long, k)
			}
		}
		r.done = true
	}
	if len(s) <= minEmbedded {
		return false
	}
	for _, k := range r.long {
		if strings.Contains(s, k) {
			return true
		}
	}
	return false
}

func maskIndex(mask any, i int) any {
	switch m := mask.(type) {
	case []any:
		if i < len(m) {
			return m[i]
		}
	case map[string]any:
		return m[strconv.Itoa(i)]
	}
	return nil
}

// sensitive returns the marker for v: an HMAC of its canonical JSON.
func (r *redactor) sensitive(v any) snapshot.Sensitive {
	if s, ok := v.(snapshot.Sensitive); ok {
		return s
	}
	var b []byte
	switch t := v.(type) {
	case string:
		b = append([]byte("s:"), t...)
	default:
		b = appendCanonical([]byte("j:"), t)
	}
	mac := hmac.New(sha256.New, r.key)
	mac.Write(b)
	return snapshot.Sensitive{Hash: hex.EncodeToString(mac.Sum(nil)[:16]), Weak: weak(v)}
}

// weak reports whether a sensitive value is too plain to be a credential,
// so that two environments sharing it is not worth a finding.
func weak(v any) bool {
	switch t := v.(type) {
	case string:
		return len(t) < snapshot.MinSecretLength
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

// appendCanonical writes v as JSON with sorted keys. A marker already inside
// v is written with its hash: Sensitive's MarshalJSON would print only
// "(sensitive)", and two different secrets must not hash alike.
func appendCanonical(b []byte, v any) []byte {
	switch t := v.(type) {
	case snapshot.Sensitive:
		return append(append(append(b, `{"(sensitive)":"`...), t.Hash...), `"}`...)
	case map[string]any:
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		b = append(b, '{')
		for i, k := range keys {
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
