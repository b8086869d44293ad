package golden

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// Rule is the part of a generated rule entry that tests compare with.
type Rule struct {
	ID       string `json:"id"`
	Severity string `json:"severity"`
	Stage    string `json:"stage"`
}

// rulesJSON is the golden of `lockstep rules --format json`, relative to the
// module root; cmd/lockstep's TestRulesFormats keeps it equal to what the
// binary generates from the rules' METADATA.
const rulesJSON = "cmd/lockstep/testdata/golden/rules/rules.json"

// BuiltinRules reads the generated list of built-in rules, sorted by id, so
// a test that needs the rule ids compares with it instead of keeping its
// own list by hand: adding a rule then changes generated files only.
func BuiltinRules(t testing.TB) []Rule {
	t.Helper()
	root, err := moduleRoot()
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(root, rulesJSON))
	if err != nil {
		t.Fatalf("%v (go test ./cmd/lockstep -run TestRulesFormats -update writes it)", err)
	}
	var doc struct {
		Rules []Rule `json:"rules"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatalf("%s: %v", rulesJSON, err)
	}
	if len(doc.Rules) == 0 {
		t.Fatalf("%s lists no rules", rulesJSON)
	}
	return doc.Rules
}

// moduleRoot walks up from the package under test to the directory holding
// go.mod.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod above the package under test")
		}
		dir = parent
	}
}
