package snapshot

import (
	"bytes"
	"encoding/json"
	"iter"
	"maps"
	"slices"
	"unsafe"
)

// Attributes is a resource object's attributes, or any object inside them,
// as its members in the order of their names' bytes. It is not a map
// because objects are most of a decoded plan and the same names repeat,
// in the same order, in every resource of a type and every block of a
// kind: the reader keeps one list of names per shape, shared by all the
// objects of that shape and never changed, and each object holds only its
// values beside it. A map of 55 attributes (an aws_instance) takes 2.4 KB,
// this under 1 KB, and a map of up to eight members 344 bytes, this 40
// plus 16 per member; and walks visit the members in order without
// collecting and sorting their names.
//
// Values are what a map[string]any of the decoded JSON would hold, with
// objects as Attributes (Plain turns them back into maps). A nil
// *Attributes has no members.
type Attributes struct {
	names  []string
	values []any
}

// NewAttributes returns the attributes of m (nil for a nil map).
func NewAttributes(m map[string]any) *Attributes {
	if m == nil {
		return nil
	}
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	slices.Sort(names)
	values := make([]any, len(names))
	for i, k := range names {
		values[i] = m[k]
	}
	return &Attributes{names: names, values: values}
}

// AttributesOf returns the attributes with these names and values, which it
// keeps: names must be sorted by their bytes, without repeats, and never
// change (objects may share them); values is the object's own.
func AttributesOf(names []string, values []any) *Attributes {
	return &Attributes{names: names, values: values}
}

// Len is the number of attributes.
func (a *Attributes) Len() int {
	if a == nil {
		return 0
	}
	return len(a.names)
}

// Names returns the names in order. They may be shared: never change them.
func (a *Attributes) Names() []string {
	if a == nil {
		return nil
	}
	return a.names
}

// At returns the value of the i-th attribute in name order.
func (a *Attributes) At(i int) any { return a.values[i] }

// SetAt replaces the value of the i-th attribute: the reader's redaction,
// before any other stage sees the object.
func (a *Attributes) SetAt(i int, v any) { a.values[i] = v }

// Index returns the position of name, and whether it is there.
func (a *Attributes) Index(name string) (int, bool) {
	if a == nil {
		return 0, false
	}
	return slices.BinarySearch(a.names, name)
}

// Get returns the value of name, and whether the object has it.
func (a *Attributes) Get(name string) (any, bool) {
	if i, ok := a.Index(name); ok {
		return a.values[i], true
	}
	return nil, false
}

// Value returns the value of name, nil when the object does not have it
// (as a map's index expression does).
func (a *Attributes) Value(name string) any {
	v, _ := a.Get(name)
	return v
}

// All yields each name and value in name order.
func (a *Attributes) All() iter.Seq2[string, any] {
	return func(yield func(string, any) bool) {
		for i := range a.Len() {
			if !yield(a.names[i], a.values[i]) {
				return
			}
		}
	}
}

// Clone returns a copy whose values can be replaced without changing a:
// the names stay shared.
func (a *Attributes) Clone() *Attributes {
	if a == nil {
		return nil
	}
	return &Attributes{names: a.names, values: slices.Clone(a.values)}
}

// Map returns the attributes as a new map holding the same values (nil for
// nil attributes); objects below stay Attributes.
func (a *Attributes) Map() map[string]any {
	if a == nil {
		return nil
	}
	m := make(map[string]any, len(a.names))
	for i, k := range a.names {
		m[k] = a.values[i]
	}
	return m
}

// Member is object v's member k (an Attributes or a map), nil when v has
// none or is no object.
func Member(v any, k string) any {
	switch t := v.(type) {
	case *Attributes:
		return t.Value(k)
	case map[string]any:
		return t[k]
	}
	return nil
}

// Plain returns v with every Attributes in it, at any depth, made a
// map[string]any, for consumers of plain decoded JSON (the policy engine's
// input). A map or list that holds none is returned as it is, not copied.
func Plain(v any) any {
	p, _ := (*Plainer)(nil).plain(v)
	return p
}

// Plainer is Plain for many values that share parts: an Attributes or a
// list met again (the small blocks a reader shares between an input's
// resources, most of the objects of a large plan) is made a map or list
// once, and that one shared, where Plain makes one per meeting. Nothing
// may change what it returns.
type Plainer struct {
	attrs map[*Attributes]map[string]any
	lists map[listKey][]any
}

// listKey is a list by its elements' memory.
type listKey struct {
	data *any
	n    int
}

// NewPlainer returns a Plainer that shares nothing made yet.
func NewPlainer() *Plainer {
	return &Plainer{attrs: map[*Attributes]map[string]any{}, lists: map[listKey][]any{}}
}

// Plain is Plain, sharing what p made before.
func (p *Plainer) Plain(v any) any {
	out, _ := p.plain(v)
	return out
}

// plain is Plain, and whether it made anything anew; a nil p shares
// nothing.
func (p *Plainer) plain(v any) (any, bool) {
	switch t := v.(type) {
	case *Attributes:
		if t == nil {
			return map[string]any(nil), true
		}
		if p != nil {
			if m, ok := p.attrs[t]; ok {
				return m, true
			}
		}
		m := make(map[string]any, len(t.names))
		for i, k := range t.names {
			m[k], _ = p.plain(t.values[i])
		}
		if p != nil {
			p.attrs[t] = m
		}
		return m, true
	case map[string]any:
		var out map[string]any
		for k, e := range t {
			if pe, made := p.plain(e); made {
				if out == nil {
					out = maps.Clone(t)
				}
				out[k] = pe
			}
		}
		if out != nil {
			return out, true
		}
	case []any:
		key := listKey{unsafe.SliceData(t), len(t)}
		if p != nil && len(t) > 0 {
			if out, ok := p.lists[key]; ok {
				return out, true
			}
		}
		var out []any
		for i, e := range t {
			if pe, made := p.plain(e); made {
				if out == nil {
					out = slices.Clone(t)
				}
				out[i] = pe
			}
		}
		if out != nil {
			if p != nil {
				p.lists[key] = out
			}
			return out, true
		}
	}
	return v, false
}

// MarshalJSON writes the attributes as the JSON object a map of them
// encodes to, members in the order of their names' bytes. HTML characters
// are left as they are: an encoder that escapes them escapes a
// marshaler's output too, as it would the map's.
func (a *Attributes) MarshalJSON() ([]byte, error) {
	if a == nil {
		return []byte("null"), nil
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(a.Map()); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}
