// Package golden compares test output with files under testdata/golden and
// rewrites them when tests run with -update. Every package's golden tests go
// through it so the flag, the messages and the first-difference report are
// the same everywhere.
package golden

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Update is the -update flag of every test binary that imports this package.
var Update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// Assert compares got with testdata/golden/name (relative to the package
// under test), or writes it there with -update.
func Assert(t testing.TB, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *Update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run the test with -update to create it)", err)
	}
	if string(got) != string(want) {
		t.Errorf("%s differs from the golden file (run with -update if the change is intended): %s\n--- got\n%s", path, firstDiff(got, want), got)
	}
}

// AssertFile is Assert for a generated file outside testdata/golden, such as
// documentation checked in where readers find it. path is relative to the
// package under test; regenerate says how to bring the file up to date, for
// whoever runs the test without -update.
func AssertFile(t testing.TB, path string, got []byte, regenerate string) {
	t.Helper()
	if *Update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (regenerate it: %s)", err, regenerate)
	}
	if string(got) != string(want) {
		t.Errorf("%s is out of date (regenerate it: %s): %s", path, regenerate, firstDiff(got, want))
	}
}

// firstDiff names the first line where got and want part.
func firstDiff(got, want []byte) string {
	g, w := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := 0; i < len(g) || i < len(w); i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			return fmt.Sprintf("line %d: got %q, want %q", i+1, gl, wl)
		}
	}
	return "no line differs (line endings?)"
}
