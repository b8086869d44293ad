package fleet_test

import (
	"encoding/json"
	"os"
	"sort"
	"strings"
	"testing"
)

// TestDocumentedFields: docs/report.md names every field of the evidence
// (a finding's details are check's contract, documented with it).
func TestDocumentedFields(t *testing.T) {
	doc, err := os.ReadFile("../docs/report.md")
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile("testdata/golden/fixture.json")
	if err != nil {
		t.Fatal(err)
	}
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	fields := map[string]bool{}
	var walk func(any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				fields[k] = true
				if k != "details" {
					walk(x)
				}
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	walk(v)
	var missing []string
	for f := range fields {
		if !strings.Contains(string(doc), "`"+f+"`") {
			missing = append(missing, f)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("docs/report.md does not name the evidence fields %v", missing)
	}
}
