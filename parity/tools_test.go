package parity_test

import (
	"testing"

	"github.com/lockstep-iac/lockstep/parity"
	"github.com/lockstep-iac/lockstep/snapshot"
)

// TestTools: the tool that wrote each input is its own version item,
// compared where two inputs tell; hashicorp/null locked from both
// registries is one provider, named by its short source.
func TestTools(t *testing.T) {
	tofu, tf := "registry.opentofu.org/hashicorp/null", "registry.terraform.io/hashicorp/null"
	withTool := func(name, tool string, providers map[string]string) *snapshot.Snapshot {
		s := versioned(name, "", providers, nil)
		s.Tool = tool
		return s
	}
	tests := []struct {
		name                string
		staging, production *snapshot.Snapshot
		want                []*parity.Version
	}{
		{
			name:       "mixed tools",
			staging:    withTool("staging", "terraform", nil),
			production: withTool("production", "opentofu", nil),
			want: []*parity.Version{{Kind: "tool", Name: "tool", Values: map[string]string{"staging": "terraform", "production": "opentofu"},
				Missing: []string{}, Sources: map[string]string{}, Differs: true}},
		},
		{
			name:       "one tool unknown: nothing to compare",
			staging:    withTool("staging", "", nil),
			production: withTool("production", "opentofu", nil),
			want:       []*parity.Version{},
		},
		{
			name:       "one provider from both registries",
			staging:    withTool("staging", "terraform", provs{tf: "3.2.4"}),
			production: withTool("production", "opentofu", provs{tofu: "3.2.3"}),
			want: []*parity.Version{
				{Kind: "tool", Name: "tool", Values: map[string]string{"staging": "terraform", "production": "opentofu"},
					Missing: []string{}, Sources: map[string]string{}, Differs: true},
				{Kind: "provider", Name: "hashicorp/null", Values: map[string]string{"staging": "3.2.4", "production": "3.2.3"},
					Missing: []string{}, Sources: locks("staging", "production"), Differs: true},
			},
		},
		{
			name:       "one registry: the address as it is",
			staging:    withTool("staging", "opentofu", provs{tofu: "3.2.4"}),
			production: withTool("production", "opentofu", provs{tofu: "3.2.4"}),
			want: []*parity.Version{
				{Kind: "tool", Name: "tool", Values: map[string]string{"staging": "opentofu", "production": "opentofu"},
					Missing: []string{}, Sources: map[string]string{}},
				{Kind: "provider", Name: tofu, Values: map[string]string{"staging": "3.2.4", "production": "3.2.4"},
					Missing: []string{}, Sources: locks("staging", "production")},
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := pair(t, tc.staging, tc.production).Versions; mustJSON(t, got) != mustJSON(t, tc.want) {
				t.Errorf("versions\n%s\nwant\n%s", mustJSON(t, got), mustJSON(t, tc.want))
			}
		})
	}
}
