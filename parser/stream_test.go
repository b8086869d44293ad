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
