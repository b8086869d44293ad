package parser_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/lockstep-iac/lockstep/parser"
	"github.com/lockstep-iac/lockstep/snapshot"
)

// testKey is the HMAC key of most tests; otherKey checks that hashes depend
// on the key.
var (
	testKey  = []byte("lockstep-parser-test-key")
	otherKey = []byte("another-key")
)

const (
	realDir      = "../testdata/real"
	scenariosDir = "../testdata/scenarios"
)

func opts() parser.Options { return parser.Options{Key: testKey} }

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func mustParse(t *testing.T, path string) *snapshot.Snapshot {
	t.Helper()
	snap, err := parser.ReadFile(path, opts())
	if err != nil {
		t.Fatalf("ReadFile(%s): %v", path, err)
	}
	return snap
}

func mustParseBytes(t *testing.T, name string, data []byte) *snapshot.Snapshot {
	t.Helper()
	snap, err := parser.Parse(name, data, opts())
	if err != nil {
		t.Fatalf("Parse(%s): %v", name, err)
	}
	return snap
}

// inputError asserts that err is an *parser.InputError for file and returns
// it.
func inputError(t *testing.T, err error, file string) *parser.InputError {
	t.Helper()
	if err == nil {
		t.Fatalf("%s: no error, want an *InputError", file)
	}
	var ie *parser.InputError
	if !errors.As(err, &ie) {
		t.Fatalf("%s: error %T (%v) is not an *InputError", file, err, err)
	}
	if ie.File != file {
		t.Errorf("InputError.File = %q, want %q", ie.File, file)
	}
	msg := err.Error()
	if !strings.HasPrefix(msg, file+": ") {
		t.Errorf("message does not start with the file name %q: %q", file, msg)
	}
	if strings.ContainsAny(msg, "\r\n") {
		t.Errorf("message is not a single line: %q", msg)
	}
	if ie.Problem == "" {
		t.Errorf("InputError has no Problem: %q", msg)
	}
	return ie
}

// obj returns the nested map at path inside v, failing the test if absent.
func at(t *testing.T, v any, path ...string) any {
	t.Helper()
	v = snapshot.Plain(v)
	for _, p := range path {
		m, ok := v.(map[string]any)
		if !ok {
			t.Fatalf("at %v: %T is not an object", path, v)
		}
		v, ok = m[p]
		if !ok {
			t.Fatalf("at %v: no key %q", path, p)
		}
	}
	return v
}

func isSensitive(v any) bool {
	_, ok := v.(snapshot.Sensitive)
	return ok
}

// snapshotJSON renders a snapshot deterministically for golden files. The
// source is made relative so the golden file does not depend on the
// checkout's location.
func snapshotJSON(t *testing.T, s *snapshot.Snapshot) []byte {
	t.Helper()
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return append(b, '\n')
}

// walkValues calls f for every leaf value in v (after descending maps and
// lists).
func walkValues(v any, f func(any)) {
	switch t := v.(type) {
	case *snapshot.Attributes:
		for k, e := range t.All() {
			f(k)
			walkValues(e, f)
		}
	case map[string]any:
		for k, e := range t {
			f(k)
			walkValues(e, f)
		}
	case []any:
		for _, e := range t {
			walkValues(e, f)
		}
	default:
		f(v)
	}
}

// everyValue walks every value a snapshot holds, including Unknown masks and
// drift.
func everyValue(s *snapshot.Snapshot, f func(any)) {
	for addr, r := range s.Resources {
		f(addr)
		f(r.Address)
		for _, o := range []*snapshot.Object{r.Now, r.After} {
			if o != nil {
				walkValues(o.Values, f)
				walkValues(o.Unknown, f)
			}
		}
	}
	for _, d := range s.Drift {
		f(d.Address)
		walkValues(d.Before, f)
		walkValues(d.After, f)
	}
}

// dump renders everything a snapshot holds with %#v, dereferencing the
// pointers that %#v would print as addresses.
func dump(s *snapshot.Snapshot) string {
	var b strings.Builder
	b.WriteString(fmt.Sprintf("%#v\n", *s))
	for _, r := range s.Resources {
		b.WriteString(fmt.Sprintf("%#v\n", *r))
		for _, o := range []*snapshot.Object{r.Now, r.After} {
			if o != nil {
				b.WriteString(fmt.Sprintf("%#v %#v\n", *o, snapshot.Plain(o.Values).(map[string]any)))
			}
		}
	}
	for _, d := range s.Drift {
		b.WriteString(fmt.Sprintf("%#v\n", *d))
	}
	j, _ := json.Marshal(s)
	b.Write(j)
	return b.String()
}

func deepEqual(a, b any) bool { return reflect.DeepEqual(a, b) }
