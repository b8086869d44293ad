package policy

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lockstep-iac/lockstep/internal/testfile"
)

// TestEmptyDirNotices: a --policy directory from which no rule loads is
// named with what it holds; one with a rule, or whose rules other
// directories' files do not mask, is not.
func TestEmptyDirNotices(t *testing.T) {
	const rule = "package main\n\nimport rego.v1\n\ndeny contains \"x\" if { false }\n"
	tests := []struct {
		name  string
		files map[string]string // dir/file -> text
		want  []string          // one substring per notice, in directory order
	}{
		{"a rule loads", map[string]string{"a/p.rego": rule}, nil},
		{"conftest's package", map[string]string{"a/p.rego": strings.Replace(rule, "package main", "package terraform", 1)},
			[]string{"a loads no rule: its packages are terraform ("}},
		{"data only", map[string]string{"a/d.json": `{"k": 1}`}, []string{"a loads no rule: it holds no .rego policy file"}},
		{"helpers only", map[string]string{"a/h.rego": "package lockstep.helpers\n\nimport rego.v1\n\ntwice(x) := 2 * x\n"},
			[]string{"a loads no rule: its packages are lockstep.helpers ("}},
		{"one of two", map[string]string{"a/p.rego": rule, "b/d.json": `{"k": 1}`}, []string{"b loads no rule"}},
		{"a prefix is not a parent", map[string]string{"ab/p.rego": rule, "a/d.json": `{"k": 1}`}, []string{"a loads no rule"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			root := t.TempDir()
			var dirs []string
			seen := map[string]bool{}
			for path, text := range tc.files {
				d := filepath.Join(root, filepath.Dir(path))
				testfile.Write(t, filepath.Join(d, filepath.Base(path)), text)
				if !seen[d] {
					seen[d] = true
					dirs = append(dirs, d)
				}
			}
			e, err := New(context.Background(), Options{PolicyDirs: dirs})
			if err != nil {
				t.Fatal(err)
			}
			got := e.Notices()
			if len(got) != len(tc.want) {
				t.Fatalf("notices %q, want %d", got, len(tc.want))
			}
			for i, w := range tc.want {
				if !strings.Contains(got[i], filepath.Join(root, w[:strings.Index(w, " ")])+w[strings.Index(w, " "):]) {
					t.Errorf("notice %q lacks %q", got[i], w)
				}
			}
		})
	}
}
