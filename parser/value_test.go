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
