package parser

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// differential decodes data with both readers and fails unless they agree:
// the same error or none, the same snapshot. It reports whether the
// streaming reader read the input (rather than giving up).
func differential(t *testing.T, name string, data []byte) bool {
	t.Helper()
	opts := Options{Key: []byte("differential-test-key")}
	fast, ferr := decodeStream(bytes.NewReader(data), int64(len(data)), name, opts)
	slow, serr := decodeDocument(name, data, opts)
	switch {
	case ferr != nil:
		return false
	case serr != nil:
		t.Fatalf("%s: the streaming reader accepts what the document reader refuses: %v", name, serr)
	}
	a, err := json.Marshal(fast.Snapshot(nil))
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(slow.Snapshot(nil))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Fatalf("%s: the readers' snapshots differ:\nstream:   %.2000s\ndocument: %.2000s", name, a, b)
	}
	return true
}

// TestStreamMatchesDocument reads every plan and state of the repository's
// fixtures with both readers. Every file Terraform wrote for the scenarios
// must be read by the streaming reader.
func TestStreamMatchesDocument(t *testing.T) {
	roots := []string{"testdata", "../testdata", "../../shared/fixtures/real", "../cmd/lockstep/testdata"}
	streamed, files := 0, 0
	for _, root := range roots {
		_ = filepath.WalkDir(root, func(path string, e fs.DirEntry, err error) error {
			if err != nil || e.IsDir() || !strings.HasSuffix(path, ".json") && !strings.HasSuffix(path, ".tfstate") {
				return nil
			}
			data, err := os.ReadFile(path)
			if err != nil || len(data) > 64<<20 {
				return nil
			}
			files++
			ok := differential(t, path, data)
			if ok {
				streamed++
			} else if os.Getenv("STREAM_DEBUG") != "" {
				t.Logf("gave up: %s", path)
			}
			if !ok && strings.Contains(path, "testdata/scenarios/") && strings.HasSuffix(path, ".plan.json") {
				t.Errorf("%s: the streaming reader gave up on a plan Terraform wrote", path)
			}
			return nil
		})
	}
	t.Logf("%d of %d files read by the streaming reader", streamed, files)
	if streamed == 0 {
		t.Fatal("the streaming reader read nothing")
	}
}

// TestStreamDuplicateKeys: the streaming reader lets its
// decoder allow duplicate keys, so every place a value is used must refuse
// them itself; Decode then reports the duplicate as the document reader
// words it.
func TestStreamDuplicateKeys(t *testing.T) {
	const plan = `{"format_version":"1.2","terraform_version":"1.11.4",
"planned_values":{"root_module":{"resources":[{"address":"a.b","mode":"managed","type":"a","name":"b","values":PLANNED,"sensitive_values":{"x":true}}]}},
"resource_changes":[CHANGE,
 {"address":"a.c","mode":"managed","type":"a","name":"c","change":{"actions":["no-op"],"before":{"y":"1"},"after":NOOP,"after_unknown":{},"before_sensitive":{},"after_sensitive":{}}}],
"prior_state":{"format_version":"1.0","values":{"outputs":OUTPUTS,"root_module":{"resources":[
 {"address":"a.b","mode":"managed","type":"a","name":"b","values":PRIOR,"sensitive_values":{}},
 {"address":"a.c","mode":"managed","type":"a","name":"c","values":{"y":"1"},"sensitive_values":{}}]}}}}`
	defaults := map[string]string{
		"CHANGE":  `{"address":"a.b","mode":"managed","type":"a","name":"b","change":{"actions":["update"],"before":{"x":"1"},"after":AFTER,"after_unknown":{},"before_sensitive":{},"after_sensitive":{}}}`,
		"AFTER":   `{"x":"2"}`,
		"PRIOR":   `{"x":"1"}`,
		"PLANNED": `{"x":"2"}`,
		"NOOP":    `{"y":"1"}`,
		"OUTPUTS": `{"o":{"sensitive":false,"value":"v"}}`,
	}
	for _, tc := range []struct {
		name, key, value string
		// allowed: the duplicate is in a value nothing uses, where the
		// streaming reader may leave it.
		allowed bool
	}{
		{name: "none"},
		{name: "in an update's after", key: "AFTER", value: `{"x":"2","x":"3"}`},
		{name: "in prior_state's values", key: "PRIOR", value: `{"x":"1","x":"1"}`},
		{name: "in a marked planned_values object", key: "PLANNED", value: `{"x":"2","x":"2"}`},
		{name: "in a change's members", key: "CHANGE", value: `{"address":"a.b","address":"a.b","mode":"managed","type":"a","name":"b","change":{"actions":["update"],"before":{"x":"1"},"after":{"x":"2"}}}`},
		{name: "in a change object's members", key: "CHANGE", value: `{"address":"a.b","mode":"managed","type":"a","name":"b","change":{"actions":["update"],"before":{"x":"1"},"before":{"x":"1"},"after":{"x":"2"}}}`},
		{name: "in an output", key: "OUTPUTS", value: `{"o":{"sensitive":false,"value":{"k":1,"k":2}}}`},
		{name: "in an unused no-op after", key: "NOOP", value: `{"y":"1","y":"1"}`, allowed: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc := plan
			// CHANGE holds AFTER: replaced first.
			for _, k := range []string{"CHANGE", "AFTER", "PRIOR", "PLANNED", "NOOP", "OUTPUTS"} {
				v := defaults[k]
				if k == tc.key {
					v = tc.value
				}
				doc = strings.ReplaceAll(doc, k, v)
			}
			data := []byte(doc)
			opts := Options{Key: []byte("k")}
			_, ferr := decodeStream(bytes.NewReader(data), int64(len(data)), "plan.json", opts)
			_, err := Decode("plan.json", data, opts)
			switch {
			case tc.key == "":
				if ferr != nil || err != nil {
					t.Fatalf("stream: %v, Decode: %v", ferr, err)
				}
			case tc.allowed:
				if ferr != nil {
					t.Fatalf("the streaming reader gave up on a duplicate in a value it skips: %v", ferr)
				}
			default:
				if ferr == nil {
					t.Fatal("the streaming reader read a duplicate key in a value it uses")
				}
				if err == nil || !strings.Contains(err.Error(), "same key twice") {
					t.Fatalf("Decode: %v, want the duplicate key reported", err)
				}
			}
		})
	}
}

// FuzzStreamMatchesDocument: on any input, the streaming reader gives up
// or agrees with the document reader (see differential).
//
//	go test -run='^$' -fuzz=FuzzStreamMatchesDocument -fuzztime=60s ./parser/
func FuzzStreamMatchesDocument(f *testing.F) {
	for _, p := range []string{"../testdata/scenarios/g-shared-secret/staging.plan.json", "../testdata/scenarios/a-staging-only-change/production.state.json"} {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`{"format_version":"1.2","prior_state":{"values":{"root_module":{"resources":[{"address":"a.b","type":"a","name":"b","values":{"x":"1"},"sensitive_values":{"x":true}}]}}},"resource_changes":[]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		differential(t, "fuzz.json", data)
	})
}
