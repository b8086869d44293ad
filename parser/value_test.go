package parser

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
)

// TestDecodeJSON: decodeJSON gives what encoding/json's Decoder with
// UseNumber gives, interned or not, and refuses duplicate keys.
func TestDecodeJSON(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		err       bool
	}{
		{name: "object", src: `{"a":"x","b":[1,2.5,-3e2],"c":{"d":null,"e":true,"f":false}}`},
		{name: "escapes", src: `{"k\u00e9y":"line\nbreak \"quoted\" \\ \/ \ud83d\ude00","t":"\t"}`},
		{name: "empty containers", src: ` { "a" : [ ] , "b" : { } } `},
		{name: "numbers kept exact", src: `[12345678901234567890, 0.1, 1E+400, -0]`},
		{name: "scalar", src: `"just a string"`},
		{name: "long and short strings", src: `["gp3","gp3","a-value-longer-than-sixteen-bytes","a-value-longer-than-sixteen-bytes"]`},
		{name: "nested stacks", src: `[{"a":[1,{"b":[2,3],"c":{}}],"d":2},[4,[5,[]]],{"e":{"f":{"g":[6]}}}]`},
		{name: "duplicate key", src: `{"a":1,"a":2}`, err: true},
		{name: "nested duplicate key", src: `{"a":[{"b":1,"b":1}]}`, err: true},
		{name: "trailing data", src: `{} {}`, err: true},
		{name: "truncated", src: `{"a":[1,2`, err: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, k := range []*keys{nil, newKeys()} {
				got, err := decodeJSON([]byte(tc.src), k)
				if tc.err {
					if err == nil {
						t.Fatalf("decoded %v, want an error", got)
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				dec := json.NewDecoder(bytes.NewReader([]byte(tc.src)))
				dec.UseNumber()
				var want any
				if err := dec.Decode(&want); err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(got, want) {
					t.Fatalf("decodeJSON = %#v\nencoding/json = %#v", got, want)
				}
			}
		})
	}
}

// TestDecodeJSONStack: the stack of members and elements one input's
// decodes share is empty after every value, read or refused, so that a
// refused value leaves nothing in the next one nor keeps its values alive.
func TestDecodeJSONStack(t *testing.T) {
	k := newKeys()
	for _, src := range []string{
		`{"a":{"b":[1,2,{"c":3}]}}`,
		`{"a":[1,{"b":2,"b":3}]}`,
		`{"a":[1,{"b":2`,
		`[[[[1]]],{"x":{"y":"z"}}]`,
	} {
		_, _ = decodeJSON([]byte(src), k)
		if n, m := len(k.stack.members), len(k.stack.items); n != 0 || m != 0 {
			t.Fatalf("after %s: %d members and %d elements left on the stack", src, n, m)
		}
		if n := len(k.stack.members[:cap(k.stack.members)]); n > 0 {
			for i, mb := range k.stack.members[:n] {
				if mb != (member{}) {
					t.Fatalf("after %s: member %d still holds %q", src, i, mb.key)
				}
			}
		}
	}
}
