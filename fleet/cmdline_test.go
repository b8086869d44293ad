package fleet_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/lockstep-iac/lockstep/fleet"
)

// TestCommandLine: destinations, sharding and parallelism are left out, so
// a shard and a single run record the same line; credentials are hidden.
func TestCommandLine(t *testing.T) {
	for _, tc := range []struct {
		args, want []string
	}{
		{[]string{"report", "--inputs", "x/{stack}/{env}", "--shard", "2/8", "--format", "json=s.json", "--parallelism=4", "-q", "--as-of", "2026-12-01"},
			[]string{"lockstep", "report", "--inputs", "x/{stack}/{env}", "--as-of", "2026-12-01"}},
		{[]string{"report", "--format=html=r.html", "--quiet", "--timestamp", "--policy", "p"},
			[]string{"lockstep", "report", "--timestamp", "--policy", "p"}},
		{[]string{"report", "--policy", "git::https://user:hunter2@example.com/p.git"},
			[]string{"lockstep", "report", "--policy", "git::https://(credentials)@example.com/p.git"}},
	} {
		got := fleet.CommandLine("lockstep", tc.args)
		if !slices.Equal(got, tc.want) {
			t.Errorf("%q:\n got %q\nwant %q", tc.args, got, tc.want)
		}
	}
}

// TestReadDocumentRefuses: an evidence file that is not whole, or that the
// JSON guard refuses (a key twice, bad UTF-8), is an error naming the file,
// never a document read half-way.
func TestReadDocumentRefuses(t *testing.T) {
	dir := t.TempDir()
	for name, body := range map[string]string{
		"truncated": `{"kind":`,
		"duplicate": `{"kind":"lockstep-report","kind":"lockstep-report","version":1}`,
		"utf8":      "{\"kind\":\"\xff\"}",
		"other":     `{"kind":"something-else","version":1}`,
	} {
		path := filepath.Join(dir, name+".json")
		if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := fleet.ReadDocument(path)
		if err == nil || !strings.Contains(err.Error(), path) {
			t.Errorf("%s: ReadDocument error %v, want one naming %s", name, err, path)
		}
	}
}
