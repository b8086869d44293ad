package parser

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/lockstep-iac/lockstep/snapshot"
)

// TestAttributesOnRealOutput: every resource object Terraform and OpenTofu
// wrote in the repository's real and scenario inputs (a state's or
// prior_state's values, a change's before and after, a raw state's
// attributes) decodes to the attributes of what encoding/json makes of
// the same bytes, names sorted, sharing one input's keys as the reader
// does; or is refused where a strict JSON reader refuses it (a repeated
// name).
func TestAttributesOnRealOutput(t *testing.T) {
	objects, refused := 0, 0
	var k *keys
	file := ""
	eachRealObject(t, func(path string, m map[string]json.RawMessage) {
		if path != file {
			file, k = path, newKeys() // one input's keys, as the reader shares them
		}
		for key, raw := range m {
			if (key != "values" && key != "before" && key != "after" && key != "attributes") || !bytes.HasPrefix(bytes.TrimSpace(raw), []byte("{")) {
				continue
			}
			objects++
			got, err := decodeAttributes(raw, k)
			if err != nil {
				if jsontext.Value(raw).IsValid() {
					t.Errorf("%s: %v for an object a strict reader takes", path, err)
				}
				refused++
				continue
			}
			dec := json.NewDecoder(bytes.NewReader(raw))
			dec.UseNumber()
			var want any
			if err := dec.Decode(&want); err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			if !slices.IsSorted(got.Names()) || !reflect.DeepEqual(snapshot.Plain(got), want) {
				t.Errorf("%s: decoded %#v, want %#v", path, snapshot.Plain(got), want)
			}
		}
	})
	if objects < 1000 {
		t.Errorf("%d objects checked: the test checks almost nothing", objects)
	}
	t.Logf("%d resource objects decoded, %d refused as a strict reader refuses them", objects, refused)
}

// eachRealObject calls visit with every JSON object, at any depth, of the
// repository's real and scenario inputs (Terraform's and OpenTofu's plans,
// states and raw states), with the file it is in, files one after another.
func eachRealObject(t *testing.T, visit func(path string, m map[string]json.RawMessage)) {
	t.Helper()
	for _, root := range []string{"../testdata/real", "../testdata/scenarios"} {
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !(strings.HasSuffix(path, ".json") || strings.HasSuffix(path, ".tfstate")) {
				return err
			}
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			var walk func(raw json.RawMessage)
			walk = func(raw json.RawMessage) {
				var m map[string]json.RawMessage
				if json.Unmarshal(raw, &m) == nil {
					visit(path, m)
					for _, sub := range m {
						walk(sub)
					}
					return
				}
				var l []json.RawMessage
				if json.Unmarshal(raw, &l) == nil {
					for _, sub := range l {
						walk(sub)
					}
				}
			}
			walk(data)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}
