package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lockstep-iac/lockstep/internal/golden"
)

// TestRulesDoc keeps docs/rules.md what the rules' METADATA says: a rule
// changed or added without regenerating the page fails here.
func TestRulesDoc(t *testing.T) {
	code, out, errOut := runCLI(t, "rules", "--format", "markdown")
	if code != exitOK || errOut != "" {
		t.Fatalf("exit %d, stderr: %s", code, errOut)
	}
	golden.AssertFile(t, filepath.Join("..", "..", "docs", "rules.md"), []byte(out),
		"go run ./cmd/lockstep rules --format markdown --output docs/rules.md, or go test ./cmd/lockstep -run TestRulesDoc -update")
}

func TestRulesFormats(t *testing.T) {
	for _, tc := range []struct{ name, golden string }{
		{"", "table.txt"},
		{"table", "table.txt"},
		{"json", "rules.json"},
	} {
		t.Run("format="+tc.name, func(t *testing.T) {
			args := []string{"rules"}
			if tc.name != "" {
				args = append(args, "--format", tc.name)
			}
			code, out, errOut := runCLI(t, args...)
			if code != exitOK || errOut != "" {
				t.Fatalf("exit %d, stderr: %s", code, errOut)
			}
			golden.Assert(t, filepath.Join("rules", tc.golden), []byte(out))
		})
	}
}

// TestRulesOutput checks that --output writes exactly what standard output
// would get, and nothing to standard output.
func TestRulesOutput(t *testing.T) {
	_, want, _ := runCLI(t, "rules", "--format", "json")
	path := filepath.Join(t.TempDir(), "rules.json")
	code, out, errOut := runCLI(t, "rules", "--format", "json", "--output", path)
	if code != exitOK || out != "" || errOut != "" {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Errorf("--output wrote:\n%s\nwant:\n%s", got, want)
	}
}

func TestRulesUsageErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"rules", "--format", "yaml"}, `lockstep: --format: unknown format "yaml" (available: json, markdown, table)` + "\n"},
		{[]string{"rules", "--format", "text"}, `lockstep: --format: unknown format "text" (available: json, markdown, table)` + "\n"},
		{[]string{"rules", "extra"}, `lockstep: unknown command "extra" for "lockstep rules"` + "\n"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			code, out, errOut := runCLI(t, tc.args...)
			if code != exitError || out != "" || errOut != tc.want {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit %d, stderr %q", code, out, errOut, exitError, tc.want)
			}
		})
	}
}
