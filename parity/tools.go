package parity

import "strings"

// tools compares which tool, Terraform or OpenTofu, wrote each input. The
// two share version numbers (both have a 1.10.x), so the Terraform version
// alone does not show a chain planned with both. An input that does not
// tell (snapshot.Tool "") is left out rather than guessed.
func (b *builder) tools() *Version {
	v := newVersion(VersionTool, VersionTool)
	for _, ix := range b.envs {
		if t := ix.env.Snapshot.Tool; t != "" {
			v.Values[ix.env.Name] = t
		}
	}
	return v
}

// The registries each tool resolves a short provider source on.
const (
	terraformRegistry = "registry.terraform.io/"
	openTofuRegistry  = "registry.opentofu.org/"
)

// provider is one provider compared across the lock files: name is how
// findings name it, aliases the addresses lock files may key it by.
type provider struct {
	name    string
	aliases []string
}

// lookup finds the provider's version in one lock file's providers.
func (p provider) lookup(locked map[string]string) (string, bool) {
	for _, a := range p.aliases {
		if v, ok := locked[a]; ok {
			return v, true
		}
	}
	return "", false
}

// toolNeutral groups sorted provider addresses for comparison. Terraform
// locks hashicorp/null as registry.terraform.io/hashicorp/null, OpenTofu as
// registry.opentofu.org/hashicorp/null: the same provider, released with
// the same versions. When both addresses occur they are one provider, named
// by its short source, so a mixed chain compares its versions instead of
// reporting each address as missing on the other side (the mix itself is
// the tool item's finding). Every other address is its own provider. The
// tools write these hosts in lower case, and so they are matched.
func toolNeutral(names []string) []provider {
	present := map[string]bool{}
	for _, n := range names {
		present[n] = true
	}
	out := make([]provider, 0, len(names))
	for _, n := range names {
		if short, ok := strings.CutPrefix(n, openTofuRegistry); ok && present[terraformRegistry+short] {
			continue // grouped with its registry.terraform.io twin
		}
		if short, ok := strings.CutPrefix(n, terraformRegistry); ok && present[openTofuRegistry+short] {
			out = append(out, provider{name: short, aliases: []string{n, openTofuRegistry + short}})
			continue
		}
		out = append(out, provider{name: n, aliases: []string{n}})
	}
	return out
}
