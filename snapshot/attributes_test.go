package snapshot

import (
	"bytes"
	"encoding/json"
	"reflect"
	"slices"
	"testing"
)

// TestAttributes: attributes answer as the map they are made from, in name
// order, and encode to the JSON the map encodes to, HTML escaped or not as
// the encoder says.
func TestAttributes(t *testing.T) {
	m := map[string]any{"tags": map[string]any{"a": "<b>"}, "id": "i-1", "ami": nil, "count": json.Number("2"),
		"list": []any{true, "x&y"}, "secret": Sensitive{Hash: "h"}}
	a := NewAttributes(m)
	if want := []string{"ami", "count", "id", "list", "secret", "tags"}; !slices.Equal(a.Names(), want) {
		t.Errorf("names %q, want %q", a.Names(), want)
	}
	if a.Len() != len(m) || !reflect.DeepEqual(a.Map(), m) {
		t.Errorf("Map() = %#v, want %#v", a.Map(), m)
	}
	for k, v := range m {
		got, ok := a.Get(k)
		if !ok || !reflect.DeepEqual(got, v) || !reflect.DeepEqual(a.Value(k), v) {
			t.Errorf("Get(%q) = %#v, %v; want %#v", k, got, ok, v)
		}
	}
	if v, ok := a.Get("absent"); ok || v != nil || a.Value("absent") != nil {
		t.Errorf("Get(absent) = %#v, %v", v, ok)
	}
	var seen []string
	for k, v := range a.All() {
		seen = append(seen, k)
		if !reflect.DeepEqual(v, m[k]) {
			t.Errorf("All() gives %q = %#v, want %#v", k, v, m[k])
		}
	}
	if !slices.Equal(seen, a.Names()) {
		t.Errorf("All() in order %q", seen)
	}
	for _, escape := range []bool{true, false} {
		var want, got bytes.Buffer
		for v, buf := range map[any]*bytes.Buffer{nil: &want, a: &got} {
			enc := json.NewEncoder(buf)
			enc.SetEscapeHTML(escape)
			var err error
			if v == nil {
				err = enc.Encode(map[string]any{"values": m})
			} else {
				err = enc.Encode(map[string]any{"values": a})
			}
			if err != nil {
				t.Fatal(err)
			}
		}
		if got.String() != want.String() {
			t.Errorf("escape %v: encoded %s, want %s", escape, got.String(), want.String())
		}
	}
	i, ok := a.Index("id")
	a.SetAt(i, "i-2")
	if !ok || a.Value("id") != "i-2" {
		t.Errorf("SetAt: id = %#v", a.Value("id"))
	}
}

// TestNilAttributes: nil attributes are an object without attributes,
// and encode as a nil map does.
func TestNilAttributes(t *testing.T) {
	var a *Attributes
	if NewAttributes(nil) != nil || a.Len() != 0 || a.Names() != nil || a.Map() != nil || a.Value("x") != nil {
		t.Error("nil attributes answer as something")
	}
	for range a.All() {
		t.Error("All() of nil attributes yields")
	}
	if b, err := json.Marshal(struct{ V *Attributes }{}); err != nil || string(b) != `{"V":null}` {
		t.Errorf("encoded %s, %v", b, err)
	}
	if b, err := json.Marshal(new(Attributes)); err != nil || string(b) != `{}` {
		t.Errorf("empty attributes encoded %s, %v", b, err)
	}
}

// TestPlain: Plain makes every Attributes a map, at any depth, and leaves
// maps and lists that hold none as they are (the same map, not a copy).
func TestPlain(t *testing.T) {
	inner := NewAttributes(map[string]any{"n": json.Number("1")})
	untouched := map[string]any{"k": "v"}
	v := NewAttributes(map[string]any{
		"block": []any{inner, "s"}, "tags": untouched, "obj": NewAttributes(map[string]any{"deep": inner}),
	})
	want := map[string]any{
		"block": []any{map[string]any{"n": json.Number("1")}, "s"}, "tags": map[string]any{"k": "v"},
		"obj": map[string]any{"deep": map[string]any{"n": json.Number("1")}},
	}
	got := Plain(v)
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Plain = %#v, want %#v", got, want)
	}
	untouched["k2"] = "v2" // the same map: the change shows through
	if got.(map[string]any)["tags"].(map[string]any)["k2"] != "v2" {
		t.Error("Plain copied a map that holds no Attributes")
	}
	list := []any{"a", map[string]any{"b": 1}}
	if p := Plain(list).([]any); &p[0] != &list[0] {
		t.Error("Plain copied a list that holds no Attributes")
	}
	if p, ok := Plain((*Attributes)(nil)).(map[string]any); !ok || p != nil {
		t.Errorf("Plain(nil attributes) = %#v, want a nil map", p)
	}
	if c := inner.Clone(); &c.Names()[0] != &inner.Names()[0] || func() bool { c.SetAt(0, "x"); return inner.At(0) == "x" }() {
		t.Error("Clone shares the values or copies the names")
	}
}

// TestPlainer: a Plainer makes what Plain makes, and makes an Attributes
// or a list met again (in the same value or a later one) once: the same
// map or list is returned for it, where Plain makes one per meeting. A
// list that holds no Attributes is still left as it is.
func TestPlainer(t *testing.T) {
	block := NewAttributes(map[string]any{"enabled": false, "n": json.Number("2")})
	list := []any{block, "x"}
	one := NewAttributes(map[string]any{"a": block, "b": list, "c": []any{block}, "id": "i-1"})
	two := NewAttributes(map[string]any{"a": block, "b": list, "id": "i-2"})
	p := NewPlainer()
	gotOne, gotTwo := p.Plain(one).(map[string]any), p.Plain(two).(map[string]any)
	if !reflect.DeepEqual(gotOne, Plain(one)) || !reflect.DeepEqual(gotTwo, Plain(two)) {
		t.Fatalf("Plainer made %#v and %#v, Plain %#v and %#v", gotOne, gotTwo, Plain(one), Plain(two))
	}
	same := func(a, b any) bool { return reflect.ValueOf(a).UnsafePointer() == reflect.ValueOf(b).UnsafePointer() }
	if !same(gotOne["a"], gotTwo["a"]) || !same(gotOne["a"], gotOne["c"].([]any)[0]) {
		t.Error("an Attributes met three times was made more than once")
	}
	if !same(gotOne["b"], gotTwo["b"]) {
		t.Error("a list met twice was made twice")
	}
	if plain := Plain(two).(map[string]any); same(plain["a"], Plain(two).(map[string]any)["a"]) {
		t.Error("Plain shares what it makes between calls")
	}
	words := []any{"a", "b"}
	if got := p.Plain(words).([]any); &got[0] != &words[0] {
		t.Error("a Plainer copied a list that holds no Attributes")
	}
}

// TestMember: Member reads a member of either kind of object, and nothing
// of what is no object.
func TestMember(t *testing.T) {
	m := map[string]any{"k": "v"}
	for _, tc := range []struct {
		v    any
		want any
	}{
		{NewAttributes(m), "v"}, {m, "v"}, {NewAttributes(map[string]any{}), nil}, {(*Attributes)(nil), nil},
		{map[string]any(nil), nil}, {[]any{"v"}, nil}, {"k", nil}, {nil, nil},
	} {
		if got := Member(tc.v, "k"); got != tc.want {
			t.Errorf("Member(%#v, k) = %#v, want %#v", tc.v, got, tc.want)
		}
	}
}
