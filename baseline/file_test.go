package baseline

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// TestWriteFile: a new file is written whole; an existing one is kept,
// byte for byte, unless force says to replace it.
func TestWriteFile(t *testing.T) {
	for _, tc := range []struct {
		name     string
		existing string // "" for none
		force    bool
		want     string
		wantErr  bool
	}{
		{"new", "", false, "new\n", false},
		{"exists", "reviewed\n", false, "reviewed\n", true},
		{"exists, force", "reviewed\n", true, "new\n", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "lockstep.hcl")
			if tc.existing != "" {
				if err := os.WriteFile(path, []byte(tc.existing), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			err := WriteFile(path, []byte("new\n"), tc.force)
			var exists *ExistsError
			if tc.wantErr != errors.As(err, &exists) || (!tc.wantErr && err != nil) {
				t.Fatalf("error %v, want an *ExistsError: %v", err, tc.wantErr)
			}
			got, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tc.want {
				t.Errorf("file %q, want %q", got, tc.want)
			}
			entries, _ := os.ReadDir(dir)
			if len(entries) != 1 {
				t.Errorf("temporary files left: %v", entries)
			}
		})
	}
}
