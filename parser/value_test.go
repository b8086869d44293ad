package parser

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/lockstep-iac/lockstep/snapshot"
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

// TestDecodeShared: a resource's values decode as decodeJSON decodes them,
// and an object or array met again in the input's values (below the top,
// at most maxSharedValue bytes) is the value decoded before.
func TestDecodeShared(t *testing.T) {
	long := `{"k":"` + string(bytes.Repeat([]byte("x"), maxSharedValue)) + `"}`
	k := newKeys()
	var second, third map[string]any
	for i := range 3 {
		src := `{"block":[{"a":"}]\"[{","n":1}],"tags":{},"list":[],"long":` + long + `,"nested":{"x":{"y":[1,2]}}}`
		got, err := decodeShared([]byte(src), k)
		if err != nil {
			t.Fatal(err)
		}
		want, err := decodeJSON([]byte(src), nil)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("decodeShared = %#v\ndecodeJSON = %#v", got, want)
		}
		// The first meeting is only noted; the second decodes the value
		// kept for the later ones.
		switch m := got.(map[string]any); i {
		case 1:
			second = m
		case 2:
			third = m
		}
	}
	same := func(a, b any) bool { return reflect.ValueOf(a).UnsafePointer() == reflect.ValueOf(b).UnsafePointer() }
	if same(second, third) {
		t.Error("the values object itself is shared")
	}
	for _, name := range []string{"block", "tags", "nested"} {
		if !same(second[name], third[name]) {
			t.Errorf("%s met three times was decoded again", name)
		}
	}
	if same(second["long"], third["long"]) {
		t.Errorf("a value longer than %d bytes is shared", maxSharedValue)
	}
	// Duplicate names are refused at every meeting, shared or not.
	for range 3 {
		if _, err := decodeShared([]byte(`{"a":{"b":1,"b":2}}`), k); err == nil {
			t.Fatal("a shared value with a name twice was decoded")
		}
	}
}

// TestContainerEnd: the end of an object or array is found past strings
// that hold brackets and escaped quotes, and not beyond the limit.
func TestContainerEnd(t *testing.T) {
	for _, tc := range []struct {
		src   string
		limit int
		want  int
	}{
		{`{}`, 10, 2},
		{`[1,[2,{"a":"]"}]] tail`, 100, 17},
		{`{"a":"\"}"}x`, 100, 11},
		{`{"a":"\\"}x`, 100, 10},
		{`{"a":[1,2,3]}`, 12, -1},
		{`{"a":[1,2,3]}`, 13, 13},
		{`{"a":"unterminated}`, 100, -1},
		{`[[]`, 100, -1},
	} {
		if got := containerEnd([]byte(tc.src), 0, tc.limit); got != tc.want {
			t.Errorf("containerEnd(%s, %d) = %d, want %d", tc.src, tc.limit, got, tc.want)
		}
	}
}

// TestSharedValuesRedactedApart: resources that hold the same nested value
// share it once decoded, and one resource's sensitive mark hides it in
// that resource only (numbers, which are not hidden wherever they repeat).
func TestSharedValuesRedactedApart(t *testing.T) {
	res := func(name, marks string) string {
		return `{"address":"a.` + name + `","mode":"managed","type":"a","name":"` + name + `","values":{"id":"` + name + `-id","block":[{"n":4242,"s":"plain"}],"tags":{"size":7}},"sensitive_values":` + marks + `}`
	}
	state := `{"format_version":"1.0","values":{"root_module":{"resources":[` +
		res("one", `{}`) + `,` + res("two", `{"block":[{"n":true}],"tags":{"size":true}}`) + `,` + res("three", `{}`) + `]}}}`
	s, err := Parse("state.json", []byte(state), Options{Key: []byte("k")})
	if err != nil {
		t.Fatal(err)
	}
	for name, hidden := range map[string]bool{"one": false, "two": true, "three": false} {
		v := snapshot.Plain(s.Resources["a."+name].Now.Values).(map[string]any)
		block := v["block"].([]any)[0].(map[string]any)
		if _, isHidden := block["n"].(snapshot.Sensitive); isHidden != hidden || !hidden && block["n"] != json.Number("4242") {
			t.Errorf("a.%s block n = %#v, want hidden %v", name, block["n"], hidden)
		}
		if _, isHidden := v["tags"].(map[string]any)["size"].(snapshot.Sensitive); isHidden != hidden {
			t.Errorf("a.%s tags = %#v, want hidden %v", name, v["tags"], hidden)
		}
		if block["s"] != "plain" {
			t.Errorf("a.%s block s = %#v", name, block["s"])
		}
	}
}

// FuzzDecodeShared: whatever one JSON value holds, decoding it as a
// resource's values three times with one input's keys (the value noted,
// kept, then shared) gives what decodeJSON gives, or refuses it as
// decodeJSON does.
func FuzzDecodeShared(f *testing.F) {
	for _, s := range []string{
		`{"a":[{"b":1}],"c":{}}`, `{"a":{"b":"}\"{"},"c":[[],[1]]}`, `{"a":{"b":1,"b":2}}`,
		`{"tags":{"Name":"web"},"ebs":[{"tags":{}},{"tags":{}}]}`, `[1,[2,[3]]]`, `{"a":"\u00e9\\"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if !json.Valid(data) {
			return // decodeJSON is given validated values only
		}
		want, wantErr := decodeJSON(data, nil)
		k := newKeys()
		for range 3 {
			got, err := decodeShared(data, k)
			if (err != nil) != (wantErr != nil) {
				t.Fatalf("decodeShared error %v, decodeJSON error %v", err, wantErr)
			}
			if err == nil && !reflect.DeepEqual(got, want) {
				t.Fatalf("decodeShared = %#v\ndecodeJSON = %#v", got, want)
			}
		}
	})
}

// TestDecodeAttributes: a resource's values object decodes to the
// attributes of the map decodeJSON gives, in name order whatever the
// input's order; objects of one shape share their list of names; a
// repeated name, or values that are no object, are refused.
func TestDecodeAttributes(t *testing.T) {
	k := newKeys()
	for _, tc := range []struct {
		name, in string
		want     []string // names, nil for an error
		err      string
	}{
		{"terraform's order", `{"ami":"a","id":"i-1","tags":{"b":1,"a":2}}`, []string{"ami", "id", "tags"}, ""},
		{"other order", ` {"tags":{},"id":"i-2","ami":"b"} `, []string{"ami", "id", "tags"}, ""},
		{"empty", `{}`, []string{}, ""},
		{"escaped name", `{"b":1,"\u0061":2}`, []string{"a", "b"}, ""},
		{"repeated name", `{"a":1,"a":2}`, nil, errDuplicate.Error()},
		{"repeated, apart", `{"a":1,"b":2,"a":3}`, nil, errDuplicate.Error()},
		{"repeated below", `{"a":{"x":1,"x":2}}`, nil, errDuplicate.Error()},
		{"a list", `[1]`, nil, "should be an object, found an array"},
		{"a string", `"x"`, nil, "should be an object, found a string"},
		{"trailing bytes", `{"a":1} 2`, nil, errValue.Error()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := decodeAttributes([]byte(tc.in), k)
			if tc.want == nil {
				if err == nil || err.Error() != tc.err {
					t.Fatalf("error %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got.Names(), tc.want) {
				t.Errorf("names %q, want %q", got.Names(), tc.want)
			}
			want, _ := decodeJSON([]byte(tc.in), nil)
			if !reflect.DeepEqual(snapshot.Plain(got), want) {
				t.Errorf("values %#v, want %#v", snapshot.Plain(got), want)
			}
		})
	}
	a, _ := decodeAttributes([]byte(`{"ami":"x","id":"i-3","tags":{}}`), k)
	b, _ := decodeAttributes([]byte(`{"tags":{"k":"v"},"id":"i-4","ami":"y"}`), k)
	if &a.Names()[0] != &b.Names()[0] {
		t.Error("two objects of one shape hold two lists of names")
	}
	if c, _ := decodeAttributes([]byte(`{"ami":"x","id":"i-5"}`), k); &c.Names()[0] == &a.Names()[0] {
		t.Error("objects of two shapes share their names")
	}
}

// FuzzDecodeAttributes: decodeAttributes gives the attributes of
// decodeJSON's map, or refuses what decodeJSON refuses or what is no
// object, however often the input's shapes and small values repeat.
func FuzzDecodeAttributes(f *testing.F) {
	for _, s := range []string{
		`{"a":[{"b":1}],"c":{}}`, `{"c":1,"b":{"x":[1]},"a":"s"}`, `{"a":1,"a":2}`, `{"b":1,"a":2,"b":3}`,
		`{"tags":{"Name":"web"},"ebs":[{"tags":{}},{"tags":{}}]}`, `[1]`, `{"\u0062":1,"a":2}`, `{}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if !json.Valid(data) {
			return
		}
		want, wantErr := decodeJSON(data, nil)
		m, isObject := want.(map[string]any)
		k := newKeys()
		for range 3 {
			got, err := decodeAttributes(data, k)
			if wantErr != nil || !isObject {
				if err == nil {
					t.Fatalf("decodeAttributes = %#v, decodeJSON error %v, value %#v", got, wantErr, want)
				}
				continue
			}
			if err != nil {
				t.Fatalf("decodeAttributes error %v, decodeJSON %#v", err, want)
			}
			if !slices.IsSorted(got.Names()) || !reflect.DeepEqual(snapshot.Plain(got), m) || got.Len() != len(m) {
				t.Fatalf("decodeAttributes = %q %#v\ndecodeJSON = %#v", got.Names(), snapshot.Plain(got), m)
			}
		}
	})
}

// TestDecodeAttributesInSequence: one input's objects, decoded one after
// another with its keys as the reader does, each predicted by the last
// (hint), decode as each does alone, whatever changes from one to the
// next: the first name (another type), a later name, a member more or
// less, a nested block's names, an array's elements, a value's text or its
// kind (a string and a number of the same text), an escaped name where a
// plain one was, and a repeated name where the hint has another.
func TestDecodeAttributesInSequence(t *testing.T) {
	seq := []string{
		`{"ami":"a-1","ebs":[{"size":8,"type":"gp3"}],"id":"i-1","tags":{"env":"dev"}}`,
		`{"ami":"a-1","ebs":[{"size":8,"type":"gp3"}],"id":"i-2","tags":{"env":"dev"}}`,
		`{"ami":"a-1","ebs":[{"size":8,"type":"gp3"},{"iops":3000,"size":9}],"id":"i-2","tags":{"env":"prod","team":"x"}}`,
		`{"arn":"r-1","id":"sg-1","ingress":[{"from":"80"}]}`,
		`{"ami":"a-2","ebs":[{"size":"8","type":"gp3"}],"id":"i-3","tags":{"env":"prod","team":"x"}}`,
		`{"ami":"a-2","id":"i-3","tags":{"env":"prod","team":"x"}}`,
		`{"ami":"a-2","ebs":[],"id":"i-3","tags":{"env":"prod","team":"x"},"zone":"b"}`,
		`{"ami":"a-2","ebs":[],"\u0069d":"i-3","tags":{"env":"prod","team":"x"},"zone":"b"}`,
		`{"arn":"r-1","id":"sg-1","ingress":[{"from":80}]}`,
		`{"arn":"r-1","id":"sg-1","ingress":null}`,
		`{"arn":"r-1","id":"sg-1","ingress":{"from":80}}`,
		`{"arn":"r-1","id":"sg-1","ingress":{"from":"80"}}`,
		`{"ami":"a-2","ebs":[],"id":1e3,"tags":{"env":"prod","team":"x"},"zone":"b"}`,
		`{"ami":"a-2","ebs":[],"id":1e3,"tags":{"env":"prod","team":"x"},"zone":"b"}`,
		`{"ami":"a-2","ebs":[],"id":1E3,"tags":{"env":"prod","team":"x"},"zone":"b"}`,
		`{"ami":"a-2","ebs":[],"id":"1E3","tags":{"env":"prod","team":"x"},"zone":"b"}`,
		`{"ami":"a-2","ebs":[],"id":"1E3"}`,
		`{"ami":"a-2","ami":"a-3"}`,
		`{"ami":"a-2","ebs":[],"id":1e3,"id":2}`,
		`{"zone":"b","ami":"a-2"}`,
		`{"ami":"a-2","zone":"b"}`,
		`{}`,
		`{"ami":"a-2","zone":"b"}`,
		`{"ami":"a-2","zone":"c"}`,
	}
	k := newKeys()
	for i, src := range seq {
		got, err := decodeAttributes([]byte(src), k)
		want, wantErr := decodeAttributes([]byte(src), newKeys())
		if (err != nil) != (wantErr != nil) {
			t.Fatalf("object %d %s: error %v in sequence, %v alone", i, src, err, wantErr)
		}
		if err != nil {
			continue
		}
		if !slices.Equal(got.Names(), want.Names()) || !reflect.DeepEqual(snapshot.Plain(got), snapshot.Plain(want)) {
			t.Errorf("object %d %s: in sequence %q %#v, alone %q %#v", i, src, got.Names(), snapshot.Plain(got), want.Names(), snapshot.Plain(want))
		}
	}
	first, _ := decodeAttributes([]byte(seq[0]), k)
	second, _ := decodeAttributes([]byte(seq[1]), k)
	if &first.Names()[0] != &second.Names()[0] {
		t.Error("two objects of one shape in a row hold two lists of names")
	}
}

// FuzzDecodeAttributesInSequence: two objects decoded one after the other
// with one input's keys, the first predicting the second (hint), and the
// first again, decode as decodeJSON decodes each.
func FuzzDecodeAttributesInSequence(f *testing.F) {
	for _, s := range [][2]string{
		{`{"a":[{"b":1}],"c":{}}`, `{"a":[{"b":"1"}],"c":{"d":2}}`},
		{`{"a":1,"b":{"x":[1]}}`, `{"a":1,"b":{"x":[1]},"c":3}`},
		{`{"a":"1","b":{"x":[1]}}`, `{"a":1,"b":{"x":["1"]}}`},
		{`{"a":"x-1","b":[{"c":"d"}]}`, `{"a":"x-2","b":[{"c":"e"},{"c":"d","e":1}]}`},
		{`{"a":1,"b":2}`, `{"a":1,"a":2}`},
		{`{"tags":{"Name":"web"}}`, `{"tags":{"Name":"web","\u0061":1}}`},
		{`{"x":[{"y":{"z":1}}]}`, `{"x":[{"y":[1]}]}`},
	} {
		f.Add([]byte(s[0]), []byte(s[1]))
	}
	f.Fuzz(func(t *testing.T, one, two []byte) {
		k := newKeys()
		for _, data := range [][]byte{one, two, one} {
			if !json.Valid(data) {
				return
			}
			want, wantErr := decodeJSON(data, nil)
			m, isObject := want.(map[string]any)
			got, err := decodeAttributes(data, k)
			if wantErr != nil || !isObject {
				if err == nil {
					t.Fatalf("decodeAttributes(%s) = %#v, decodeJSON error %v, value %#v", data, got, wantErr, want)
				}
				continue
			}
			if err != nil {
				t.Fatalf("decodeAttributes(%s) error %v, decodeJSON %#v", data, err, want)
			}
			if !slices.IsSorted(got.Names()) || !reflect.DeepEqual(snapshot.Plain(got), m) || got.Len() != len(m) {
				t.Fatalf("decodeAttributes(%s) = %q %#v\ndecodeJSON = %#v", data, got.Names(), snapshot.Plain(got), m)
			}
		}
	})
}

// TestObjectKindsHashAlike: a hidden object's keyed hash, its weakness and
// the environment tokens kept of it do not depend on how it was decoded
// (Attributes from a resource's values, maps elsewhere): the same value in
// two inputs must hash alike, and two values must not.
func TestObjectKindsHashAlike(t *testing.T) {
	r := newRedactor([]byte("k"), []string{"staging", "production"})
	for _, src := range []string{
		`{"user":"admin","password":"hunter2-staging-x","port":5432,"opts":{"ssl":true,"n":1e2}}`,
		`{"a":{"b":{"c":[{"d":"e"},{"f":null}]}},"z":""}`,
		`{"short":"abc","list":[1,2]}`,
	} {
		m, err := decodeJSON([]byte(src), nil)
		if err != nil {
			t.Fatal(err)
		}
		a, err := decodeAttributes([]byte(src), newKeys())
		if err != nil {
			t.Fatal(err)
		}
		if got, want := string(appendCanonical(nil, a)), string(appendCanonical(nil, m)); got != want {
			t.Errorf("canonical %s, want %s", got, want)
		}
		if got, want := r.sensitive(a), r.sensitive(m); got != want {
			t.Errorf("%s: marker %+v, want %+v", src, got, want)
		}
	}
	one, _ := decodeAttributes([]byte(`{"p":"secret-one-aaaa"}`), nil)
	two, _ := decodeAttributes([]byte(`{"p":"secret-two-bbbb"}`), nil)
	if r.sensitive(one).Hash == r.sensitive(two).Hash {
		t.Error("two different objects hash alike")
	}
}

// TestLearnedHasMemo: whether a change's marks teach nothing beyond
// prior_state's is decided by the two masks, and remembered for that pair
// only: the same change mask against another prior mask is decided anew.
func TestLearnedHasMemo(t *testing.T) {
	values := []byte(`{"x":"a","y":"b","t":{}}`)
	entry := func(prior string) stateEntry {
		mask, err := decodeJSONValue([]byte(prior), nil)
		if err != nil {
			t.Fatal(err)
		}
		return stateEntry{res: &stateResource{SensitiveValues: []byte(prior), sum: digestOf(values)}, obj: &decodedObject{mask: mask}}
	}
	l := learnedObjects{"a.covers": entry(`{"x":true}`), "a.other": entry(`{"y":true}`), "b.covers": entry(`{"x":true}`)}
	memo := coverMemo{}
	change := []byte(`{"x":true,"t":{}}`)
	for _, tc := range []struct {
		addr string
		want bool
	}{
		{"a.covers", true}, {"a.other", false}, {"b.covers", true}, {"a.other", false}, {"a.covers", true},
	} {
		if got := l.has(tc.addr, digestOf(values), change, memo); got != tc.want {
			t.Errorf("has(%s) = %v, want %v", tc.addr, got, tc.want)
		}
	}
	if len(memo) != 2 {
		t.Errorf("%d verdicts remembered, want one per pair of masks (2)", len(memo))
	}
	if l.has("a.covers", digestOf([]byte(`{"x":"changed"}`)), change, memo) {
		t.Error("other values are taken as learned")
	}
	big := []byte(`{"x":true,"t":{"` + strings.Repeat("k", maxMemoMasks) + `":false}}`)
	if !l.has("a.covers", digestOf(values), big, memo) || len(memo) != 2 {
		t.Errorf("a large mask: covered, and %d verdicts kept, want 2 (none for it)", len(memo))
	}
}

// TestDecodeMaskShared: objects whose masks have the same bytes share one
// decoded mask; a mask longer than maxMemoMasks is decoded for itself.
func TestDecodeMaskShared(t *testing.T) {
	r := newRedactor([]byte("k"), nil)
	same := func(a, b any) bool { return reflect.ValueOf(a).UnsafePointer() == reflect.ValueOf(b).UnsafePointer() }
	a, _ := r.decodeMask([]byte(`{"user_data":true,"tags":{}}`))
	b, _ := r.decodeMask([]byte(`{"user_data":true,"tags":{}}`))
	c, _ := r.decodeMask([]byte(`{"user_data":true}`))
	if !same(a, b) || same(a, c) {
		t.Error("equal masks are not shared, or different ones are")
	}
	long := []byte(`{"x":true,"` + strings.Repeat("k", maxMemoMasks) + `":true}`)
	d, _ := r.decodeMask(long)
	e, _ := r.decodeMask(long)
	if same(d, e) || len(r.masks) != 2 {
		t.Errorf("a long mask was kept (%d masks kept)", len(r.masks))
	}
	if _, err := r.decodeMask([]byte(`{"a":true,"a":false}`)); err == nil {
		t.Error("a mask with a repeated key was taken")
	}
}

// TestInterningBounded: the values and small blocks an input's resources
// hold are interned up to maxRepeats each, whatever follows: unique ones
// past the bound are decoded as they come, and equal still.
func TestInterningBounded(t *testing.T) {
	k := newKeys()
	for i := range 3 * maxRepeats {
		src := fmt.Sprintf(`{"ip":"10.0.%d.%d","n":%d,"tags":{"Name":"web-%d"},"zone":"eu-west-1a","empty":{}}`, i/256, i%256, i, i)
		got, err := decodeAttributes([]byte(src), k)
		if err != nil {
			t.Fatal(err)
		}
		want, _ := decodeJSON([]byte(src), nil)
		if !reflect.DeepEqual(snapshot.Plain(got), want) {
			t.Fatalf("%s decoded as %#v", src, snapshot.Plain(got))
		}
	}
	for name, n := range map[string]int{"strs": len(k.strs), "nums": len(k.nums), "sighted": len(k.sighted), "shared": len(k.shared)} {
		if n > maxRepeats {
			t.Errorf("%d %s interned, want at most %d", n, name, maxRepeats)
		}
	}
	if _, ok := k.strs["eu-west-1a"]; !ok {
		t.Error("a value repeated from the first resource on is not interned")
	}
}
