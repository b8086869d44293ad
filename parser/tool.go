package parser

import (
	"strings"

	"github.com/lockstep-iac/lockstep/snapshot"
)

// Tool hosts: the registry each tool resolves a provider's short source
// ("hashicorp/null") on. Only these two say which tool wrote a file:
// built-in providers (terraform.io/builtin/terraform) and other registries
// are the same for both.
const (
	openTofuRegistry  = "registry.opentofu.org"
	terraformRegistry = "registry.terraform.io"
)

// ToolOf tells from provider source addresses which tool wrote the file
// that holds them: snapshot.ToolOpenTofu when one is on OpenTofu's
// registry, else snapshot.ToolTerraform when one is on Terraform's, else ""
// (nothing tells them apart). OpenTofu wins a mix: Terraform never puts a
// short source on registry.opentofu.org, while an OpenTofu configuration may
// name registry.terraform.io in full. Addresses are compared
// case-insensitively, as hostnames are.
func ToolOf(addrs []string) string {
	tool := ""
	for _, a := range addrs {
		host, _, _ := strings.Cut(a, "/")
		switch {
		case strings.EqualFold(host, openTofuRegistry):
			return snapshot.ToolOpenTofu
		case strings.EqualFold(host, terraformRegistry):
			tool = snapshot.ToolTerraform
		}
	}
	return tool
}

// providerAddresses are the providers' source addresses of a plan's
// configuration (provider_config's full_name).
func (c *configuration) providerAddresses() []string {
	var out []string
	for _, p := range c.ProviderConfig {
		out = append(out, p.FullName)
	}
	return out
}

// rawProviderAddresses are the source addresses in a raw state's resources'
// provider configuration addresses, `provider["registry.opentofu.org/hashicorp/null"]`
// or, in a module, `module.app.provider["..."].alias`.
func rawProviderAddresses(resources []rawResource) []string {
	var out []string
	for _, r := range resources {
		_, rest, ok := strings.Cut(r.Provider, `provider["`)
		if !ok {
			continue
		}
		if addr, _, ok := strings.Cut(rest, `"]`); ok {
			out = append(out, addr)
		}
	}
	return out
}

// stateProviderAddresses are the provider_name of a state JSON's managed
// resources.
func stateProviderAddresses(entries []stateEntry) []string {
	out := make([]string, 0, len(entries))
	for _, e := range entries {
		out = append(out, e.res.ProviderName)
	}
	return out
}
