// Package testfile writes the files a test builds its inputs from (a
// policy directory, a lockstep.hcl, a fake binary), creating the
// directories they sit in: one helper for what every package's tests did
// with a copy of their own.
package testfile

import (
	"os"
	"path/filepath"
	"testing"
)

// Write writes content to path (mode 0644), creating its parent
// directories, and fails the test on any error.
func Write(t testing.TB, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
