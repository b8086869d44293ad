package snapshot

import (
	"bytes"
	"encoding/json"
	"iter"
	"slices"
)

// Attributes is a resource object's top-level attributes, in the order of
// their names' bytes. It is not a map because it is the largest object of
// every resource and the same names repeat, in the same order, in every
// resource of a type: the reader keeps one list of names per shape, shared
// by all the objects of that shape and never changed, and each object
// holds only its values beside it. A map of 55 attributes (an
// aws_instance) takes 2.4 KB, this under 1 KB; and walks visit the
// attributes in order without collecting and sorting their names.
//
// Values are what a map[string]any of the decoded JSON would hold. A nil
// *Attributes has no attributes.
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

// Map returns the attributes as a new map holding the same values (nil for
// nil attributes).
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
