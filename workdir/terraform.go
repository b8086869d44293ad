package workdir

import (
	"errors"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/lockstep-iac/lockstep/snapshot"
)

// FindTerraform resolves the Terraform binary the way the CLI documents:
// flag (--terraform) first, then $TERRAFORM, then `terraform` and `tofu`
// on PATH. A binary named explicitly (flag or variable) must exist and be
// executable, since a typo there should not silently fall back to another
// binary or to reading local state without Terraform. When nothing is
// named and neither is on PATH, it returns "" and no error: local backends
// can still be read directly.
func FindTerraform(flag string, getenv func(string) string) (string, error) {
	for _, named := range []struct{ from, path string }{{"--terraform", flag}, {"$TERRAFORM", getenv("TERRAFORM")}} {
		if named.path == "" {
			continue
		}
		p, err := exec.LookPath(named.path)
		if err != nil {
			return "", fmt.Errorf("%s %s: not an executable Terraform binary: %w; give the path of terraform or tofu", named.from, named.path, errors.Unwrap(err))
		}
		return absolute(p), nil
	}
	for _, name := range []string{"terraform", "tofu"} {
		if p, err := exec.LookPath(name); err == nil {
			return absolute(p), nil
		}
	}
	return "", nil
}

// absolute makes a binary found relative to the current directory usable
// from the environment's directory, where Terraform runs.
func absolute(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return p
}

// toolName is how provenance names the binary: "tofu" for OpenTofu,
// "terraform" otherwise.
func toolName(path string) string {
	if strings.HasPrefix(filepath.Base(path), "tofu") {
		return "tofu"
	}
	return "terraform"
}

// toolOf is which tool a binary is, for Provenance.Tool: OpenTofu and
// Terraform print the same version numbers and `version -json` does not
// name the tool, so the name is the sign. A wrapper named otherwise is not
// guessed at.
func toolOf(path string) string {
	base := filepath.Base(path)
	switch {
	case strings.HasPrefix(base, "tofu"):
		return snapshot.ToolOpenTofu
	case strings.HasPrefix(base, "terraform"):
		return snapshot.ToolTerraform
	}
	return ""
}
