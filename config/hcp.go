package config

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// Placeholders of hcp_workspace: the environment's own name, and the stack,
// which the incoming run's workspace fills in so that one `lockstep serve`
// can gate many stacks with one lockstep.hcl.
const (
	placeholderEnv   = "{env}"
	placeholderStack = "{stack}"
)

// hcpWorkspaceChars are the characters HCP Terraform allows in
// organization and workspace names, plus the dot Terraform Enterprise
// organizations may hold.
var hcpWorkspaceChars = regexp.MustCompile(`^[A-Za-z0-9_.-]+$`)

func (d *decoder) decodeHCPWorkspace(env *Environment, content *hcl.BodyContent) {
	attr, has := content.Attributes["hcp_workspace"]
	if !has {
		return
	}
	s, rng, ok := d.nonEmpty(attr, "it names the environment's HCP Terraform workspace as ORGANIZATION/WORKSPACE; remove the argument if it has none")
	if !ok {
		return
	}
	if err := checkHCPWorkspace(s); err != nil {
		d.errorf(rng, "Invalid hcp_workspace", "%s", err)
		return
	}
	env.HCPWorkspace, env.HCPWorkspaceRange = s, rng
}

// checkHCPWorkspace refuses anything but ORG/NAME with at most the two
// placeholders, {stack} once: a pattern that could match two ways would
// pick a stack by accident.
func checkHCPWorkspace(s string) error {
	org, name, ok := strings.Cut(s, "/")
	plain := strings.NewReplacer(placeholderEnv, "x", placeholderStack, "x")
	if !ok || org == "" || name == "" || !hcpWorkspaceChars.MatchString(plain.Replace(org)) || !hcpWorkspaceChars.MatchString(plain.Replace(name)) {
		return fmt.Errorf("hcp_workspace %q must be ORGANIZATION/WORKSPACE, for example \"acme/app-production\" or \"acme/{stack}-{env}\"; names hold letters, digits, '-', '_' and '.', and {env} and {stack} are the only placeholders", s)
	}
	if strings.Count(s, placeholderStack) > 1 {
		return fmt.Errorf("hcp_workspace %q names {stack} more than once; write it once", s)
	}
	return nil
}

// HCPMatch finds the environment whose hcp_workspace names the workspace
// ORG/NAME, and the stack its {stack} stands for there ("" when it has
// none). ok is false when no environment names it; an error is a
// workspace two environments name.
func (c *Config) HCPMatch(workspace string) (env, stack string, ok bool, err error) {
	var found []string
	for _, e := range c.Environments {
		if e.HCPWorkspace == "" {
			continue
		}
		if m := hcpPattern(e).FindStringSubmatch(workspace); m != nil {
			if len(m) > 1 {
				stack = m[1]
			}
			env = e.Name
			found = append(found, e.Name)
		}
	}
	switch len(found) {
	case 0:
		return "", "", false, nil
	case 1:
		return env, stack, true, nil
	}
	return "", "", false, fmt.Errorf("%s: HCP Terraform workspace %s matches the hcp_workspace of environments %s; make the patterns tell them apart", c.Filename, workspace, strings.Join(found, " and "))
}

// HCPWorkspaceOf is environment env's workspace in stack: its hcp_workspace
// with the placeholders filled in; "" when it has none.
func (c *Config) HCPWorkspaceOf(env, stack string) string {
	e := c.Environment(env)
	if e == nil || e.HCPWorkspace == "" {
		return ""
	}
	return strings.NewReplacer(placeholderEnv, e.Name, placeholderStack, stack).Replace(e.HCPWorkspace)
}

// hcpPattern is an environment's hcp_workspace as an anchored regular
// expression; {stack} is its one group. Workspace names are matched
// case-insensitively, as HCP Terraform treats them.
func hcpPattern(e Environment) *regexp.Regexp {
	var b strings.Builder
	b.WriteString("(?i)^")
	rest := strings.ReplaceAll(e.HCPWorkspace, placeholderEnv, e.Name)
	for {
		before, after, found := strings.Cut(rest, placeholderStack)
		b.WriteString(regexp.QuoteMeta(before))
		if !found {
			break
		}
		b.WriteString(`([A-Za-z0-9_-]+)`)
		rest = after
	}
	b.WriteString("$")
	return regexp.MustCompile(b.String())
}
