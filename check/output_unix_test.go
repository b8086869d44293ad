//go:build unix

package check

import (
	"io"
	"io/fs"
	"os"
	"syscall"
	"testing"

	"github.com/lockstep-iac/lockstep/internal/testfile"
)

// TestWriteOutputsModes: a new file is 0644 less the umask, as
// os.WriteFile made it; a replaced file keeps its permissions.
func TestWriteOutputsModes(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	old := syscall.Umask(0o022)
	defer syscall.Umask(old)
	testfile.Write(t, "private.json", "old")
	if err := os.Chmod("private.json", 0o600); err != nil {
		t.Fatal(err)
	}
	if err := WriteOutputs(testResult(), dests(t, "", []string{"json=private.json", "sarif=new.sarif"}, ""), io.Discard); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]fs.FileMode{"private.json": 0o600, "new.sarif": 0o644} {
		st, err := os.Stat(name)
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm() != want {
			t.Errorf("%s is %v, want %v", name, st.Mode().Perm(), want)
		}
	}
}
