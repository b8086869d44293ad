package report

import (
	"fmt"
	"strings"
)

// ReadFrom is how an environment read from a Terraform working directory
// was obtained (Environment.ReadFrom; nil for a file, whose source path and
// digest already say where it came from): enough to find the same state
// again and to tell a stale read from a fresh one.
type ReadFrom struct {
	// Kind is "workspace", or "directory" for a directory's default
	// workspace (one directory per environment).
	Kind      string `json:"kind"`
	Dir       string `json:"dir"`
	Workspace string `json:"workspace"`
	Backend   string `json:"backend"`
	// Via is what was run ("terraform state pull", "tofu plan") or
	// "state file" for a local backend read without Terraform.
	Via              string  `json:"via"`
	StateFile        string  `json:"state_file,omitempty"`
	TerraformVersion string  `json:"terraform_version,omitempty"`
	Serial           *uint64 `json:"serial,omitempty"`
	Lineage          string  `json:"lineage,omitempty"`
	// PlanSHA256 is the digest of the binary plan file, for plans.
	PlanSHA256 string `json:"plan_sha256,omitempty"`
}

// KindHCP is the Kind of an HCP Terraform workspace read through its API:
// Workspace is ORG/NAME, Via names the state version.
const KindHCP = "hcp"

// Line is the one-line form text and Markdown show:
// "workspace staging of infra (pg backend, terraform state pull 1.11.4, serial 3, lineage 9f…)".
func (r *ReadFrom) Line() string {
	where := "workspace " + r.Workspace + " of " + r.Dir
	if r.Kind == "directory" {
		where = "directory " + r.Dir
	}
	facts := []string{r.Backend + " backend"}
	via := r.Via
	if r.Kind == KindHCP {
		// No directory and no backend of ours: the API read it.
		where, facts = "HCP Terraform workspace "+r.Workspace, nil
		if r.TerraformVersion != "" {
			via += ", written by Terraform"
		}
	}
	if r.TerraformVersion != "" {
		via += " " + r.TerraformVersion
	}
	if r.StateFile != "" {
		via += " " + r.StateFile
	}
	facts = append(facts, via)
	if r.Serial != nil {
		facts = append(facts, fmt.Sprintf("serial %d", *r.Serial))
	}
	if r.Lineage != "" {
		facts = append(facts, "lineage "+r.Lineage)
	}
	if r.PlanSHA256 != "" {
		facts = append(facts, "plan sha256 "+r.PlanSHA256)
	}
	return where + " (" + strings.Join(facts, ", ") + ")"
}
