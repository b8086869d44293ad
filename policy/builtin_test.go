package policy

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lockstep-iac/lockstep/report"
)

// TestBuiltinData: every policy's data holds report.SensitiveText where
// the built-in rules read it, and a policy cannot redefine it.
func TestBuiltinData(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		// want is a part of the error New returns; "" for none.
		want string
	}{
		{name: "no policy"},
		{name: "other lockstep data", files: map[string]string{"lockstep/mine/data.json": `{"x": 1}`}},
		{name: "data redefined", files: map[string]string{"lockstep/constants/data.json": `{"sensitive_text": "***"}`},
			want: "data.lockstep.constants is lockstep's own"},
		{name: "package in its place", files: map[string]string{"p.rego": "package lockstep.constants\n\nsensitive_text := \"***\"\n"},
			want: "package lockstep.constants is reserved"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, text := range tc.files {
				path := filepath.Join(dir, filepath.FromSlash(name))
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			_, err := New(context.Background(), Options{PolicyDirs: []string{dir}})
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("New: %v", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Fatalf("New: %v, want an error with %q", err, tc.want)
			case tc.want != "":
				return
			}
			_, docs, err := Load([]string{dir}, false)
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			constants, _ := docs["lockstep"].(map[string]any)["constants"].(map[string]any)
			if got := constants["sensitive_text"]; got != report.SensitiveText {
				t.Errorf("data.lockstep.constants.sensitive_text = %#v, want %q", got, report.SensitiveText)
			}
		})
	}
}
