package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// TestUnusedDeclarations: on real plans, a misspelled resource, an
// attribute path that does not start at the top, and only_in with an alias
// no environment block declares are each an unused-declaration warning at
// the block's line; the declarations that match stay quiet.
func TestUnusedDeclarations(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "lockstep.hcl")
	src := `expect_difference "engine" {
  resources  = ["terraform_data.db", "terraform_data.netwrok"]
  attributes = ["input.engine_version", "output.engine_version"]
  reason     = "staging tries the new engine first"
}
expect_difference "cidr" {
  resources  = ["terraform_data.network"]
  attributes = ["cidr"]
  reason     = "ranges differ per environment"
}
only_in "prod" {
  resources = ["terraform_data.feature_flag[*]"]
  reason    = "the alias prod is declared nowhere"
}
only_in "staging" {
  resources = ["terraform_data.feature_flag[*]"]
  reason    = "the feature flag trial runs in staging only"
}
`
	if err := os.WriteFile(cfg, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCLI(t, append(scenarioArgs(scenarioCases[0], "plan.json"), "--config", cfg, "--format", "json")...)
	if code != 0 || errOut != "" {
		t.Fatalf("exit %d, stderr %s", code, errOut)
	}
	var rep struct {
		Findings []struct {
			Rule     string
			Message  string
			Location struct{ Line int }
		}
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range rep.Findings {
		if f.Rule == "unused-declaration" {
			got = append(got, fmt.Sprintf("%d %s", f.Location.Line, f.Message))
		}
	}
	slices.Sort(got)
	want := []string{
		`1 expect_difference "engine" matches nothing in this run: resources "terraform_data.netwrok" matched no resource`,
		`6 expect_difference "cidr" matches nothing in this run: attributes "cidr" matched no attribute of the resources it selects`,
		`11 only_in "prod" matches nothing in this run: "prod" is not one of the environments compared (staging, production) nor an alias of one`,
	}
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("unused-declaration findings\n got %q\nwant %q", got, want)
	}
}
