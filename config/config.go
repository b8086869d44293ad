// Package config reads lockstep.hcl, the file in which a team writes down
// which differences between its Terraform environments are intended, so
// that every other divergence can be reported as drift. Because a mistake in
// that file would silently hide real drift, the package is strict: it
// rejects anything it does not fully understand and reports every problem
// at once, with source positions, instead of guessing or stopping early.
package config

import (
	"bytes"
	"path/filepath"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"

	"github.com/lockstep-iac/lockstep/internal/guard"
	"github.com/lockstep-iac/lockstep/internal/readfile"
	"github.com/lockstep-iac/lockstep/report"
)

// Config is the decoded content of one lockstep.hcl file.
type Config struct {
	// Filename is the name the file was parsed under; diagnostics use it.
	Filename string
	// Environments are in declaration order.
	Environments []Environment
	// Promotion is the declared promotion order using canonical environment
	// names (aliases are resolved). It is nil when not set, in which case
	// callers fall back to the order of the --env flags.
	Promotion []string
	// PromotionRange covers the whole promotion argument, for diagnostics
	// that callers raise about it; it is zero when Promotion is nil.
	PromotionRange hcl.Range
	// ExpectDifferences are in declaration order.
	ExpectDifferences []ExpectDifference
	// OnlyIn blocks are in declaration order; several may name the same
	// environment.
	OnlyIn []OnlyIn
	// Waivers are in declaration order, expired ones included: whether to
	// fail on an expired waiver is the caller's decision.
	Waivers []Waiver
	// Stacks and StackPatterns declare the fleet `lockstep report` audits:
	// stack blocks, and the patterns of stacks blocks (with {stack} and
	// {env}, resolved like Environment.Lockfile).
	Stacks        []Stack
	StackPatterns []string
	// RequireTicket (require_ticket = true) asks that every waiver name
	// its ticket and approver; `lockstep report` flags those that do not.
	RequireTicket bool
	// Rules are rule blocks: per-rule enabled and severity settings, for
	// built-in and user rules alike, in declaration order, ids unique.
	Rules []RuleSetting
	// EnvPolicy is the env_policy block, nil when there is none.
	EnvPolicy *EnvPolicy
}

// RuleSetting is one rule "id" { enabled = ..., severity = ... } block.
type RuleSetting struct {
	ID string
	// Enabled is nil when not set.
	Enabled *bool
	// Severity is "error", "warning", or "" when not set.
	Severity report.Severity
	// Range is the block header.
	Range hcl.Range
}

// Environment is one environment block.
type Environment struct {
	// Name is the block label, the canonical name used everywhere else.
	Name string
	// Aliases are other names accepted for the environment (for example
	// in --env), as written; nil when none are declared.
	Aliases []string
	// Lockfile is the environment's Terraform dependency lock file (the
	// provider versions), which the version-skew rule compares. A relative
	// path as written is resolved against the directory of Config.Filename;
	// an absolute one is kept as is. It is "" when not set. The file is not
	// opened here: the caller reads it and reports a missing one.
	Lockfile string
	// LockfileRange is the lockfile value, for diagnostics callers raise
	// about the file; it is zero when Lockfile is "".
	LockfileRange hcl.Range
	// Source is the directory of the environment's Terraform configuration
	// (where terraform runs), resolved like Lockfile; findings are located
	// in its .tf files. It is "" when not set; the caller reads it.
	Source string
	// SourceRange is the source value, for diagnostics about the directory.
	SourceRange hcl.Range
	// Workspace is the Terraform workspace to read when the environment is
	// a working directory; "" means the environment's name (or "default"
	// when that is the directory's only workspace).
	Workspace string
	// HCPWorkspace is the HCP Terraform workspace of the environment,
	// ORG/NAME, where {env} stands for the environment's name and {stack}
	// for any one stack (HCPMatch); "" when not set. `lockstep serve`
	// maps a run task's workspace to its environment with it.
	HCPWorkspace string
	// HCPWorkspaceRange is the hcp_workspace value, for diagnostics.
	HCPWorkspaceRange hcl.Range
	// Dir is the working directory to read the environment from when --env
	// does not name it, resolved like Lockfile; "" when not set.
	Dir string
	// DirRange is the dir value, for diagnostics about the directory.
	DirRange hcl.Range
	// Plan asks for a plan (terraform plan, then show -json) instead of
	// the current state; VarFiles (resolved like Lockfile) and Vars are
	// passed to it as -var-file and -var.
	Plan     bool
	VarFiles []string
	Vars     map[string]string
	// Range is the block header (environment "name" {), which is where a
	// reader looks when told about the block.
	Range hcl.Range
}

// ExpectDifference declares that the selected attributes of the selected
// resources are meant to differ between environments.
type ExpectDifference struct {
	// Name is the block label, unique among expect_difference blocks.
	Name string
	// Resources is never empty.
	Resources []AddressPattern
	// Attributes is never empty; ["*"] covers every attribute.
	Attributes []PathPattern
	// Environments scopes the declaration (environments = [...]): only
	// these environments may differ from the others at the attributes,
	// while the others are still compared with each other. Names are
	// canonical when environment blocks are declared, each listed once;
	// nil means every environment.
	Environments []string
	// environmentRanges are the ranges of the Environments elements, for
	// CheckScopes.
	environmentRanges []hcl.Range
	// Reason is never blank.
	Reason string
	// Range is the block header.
	Range hcl.Range
}

// OnlyIn declares resources that are meant to exist in one environment only.
// Several blocks that name different environments for one resource declare
// that it belongs to each of them: it is expected in all of them and absent
// from the others.
type OnlyIn struct {
	// Environment is the canonical name: an alias in the label is resolved
	// when environments are declared.
	Environment string
	// Resources is never empty.
	Resources []AddressPattern
	// Reason is never blank.
	Reason string
	// Range is the block header.
	Range hcl.Range
}

// Waiver suppresses findings of one rule for a limited time. Owner and
// Expires are mandatory so that no waiver can outlive the reason for it
// unnoticed.
type Waiver struct {
	// Name is the block label, unique among waivers. Rule is the rule id
	// the waiver applies to. Reason and Owner are never blank.
	Name, Rule, Reason, Owner string
	// Resources limits the waiver; empty means every address, including
	// findings about an environment as a whole.
	Resources []AddressPattern
	// Expires is midnight UTC at the start of the expiry day; the waiver
	// still holds throughout that day.
	Expires time.Time
	// ExpiresText is the date as written, e.g. "2027-01-31".
	ExpiresText string
	// Ticket and ApprovedBy are the optional audit record: the ticket
	// that approved the waiver and who approved it; "" when not set.
	Ticket, ApprovedBy string
	// Range is the block header; RuleRange is the rule value, where a
	// caller would point when the rule no longer applies.
	Range, RuleRange hcl.Range
}

// Expired reports whether today's UTC calendar day is after the expiry day.
// Comparing days rather than instants keeps the answer the same for every
// run on a given day regardless of the hour or the machine's time zone.
func (w Waiver) Expired(today time.Time) bool {
	t := today.UTC()
	day := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	return day.After(w.Expires)
}

// Options adjusts validation to what the caller knows.
type Options struct {
	// KnownRules, when non-nil, lists the valid rule ids; a waiver naming
	// any other rule is an error, since it would otherwise waive nothing
	// and give false comfort. Nil skips the check.
	KnownRules []string
	// AllRules, when non-nil, lists every rule id a rule block may name
	// (waiver-stage rules included).
	AllRules []string
}

// Load reads and parses the file at path: a regular file (after resolving
// symlinks) of at most readfile.ConfigLimit bytes. A file that cannot be
// read yields a *readfile.Error naming the path (errors.Is(err,
// fs.ErrNotExist) works for a missing one); problems inside the file yield
// a *Error.
func Load(path string, opts Options) (*Config, error) {
	src, err := readfile.Read(path, readfile.ConfigLimit)
	if err != nil {
		return nil, err
	}
	return Parse(src, path, opts)
}

// Parse decodes src, using filename in positions. On any problem it returns
// a nil Config and a *Error carrying every diagnostic found.
func Parse(src []byte, filename string, opts Options) (*Config, error) {
	// UTF-16 (an editor's "Unicode" on Windows) reads as a stream of
	// invalid characters: say so once instead of once per character.
	if i := bytes.IndexByte(src, 0); i >= 0 || bytes.HasPrefix(src, []byte{0xff, 0xfe}) || bytes.HasPrefix(src, []byte{0xfe, 0xff}) {
		pos := hcl.Pos{Line: 1, Column: 1}
		return nil, newError(filename, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Not UTF-8 text",
			Detail:   "The file holds NUL bytes or a UTF-16 byte order mark; save it as UTF-8.",
			Subject:  &hcl.Range{Filename: filename, Start: pos, End: pos},
		}}, nil)
	}
	// HCL's parser has no depth limit: bound the nesting before it runs.
	if err := guard.HCL(src); err != nil {
		return nil, depthError(filename, err)
	}
	p := hclparse.NewParser()
	file, diags := p.ParseHCL(src, filename)
	if diags.HasErrors() || file == nil {
		// Decoding a body with syntax errors only adds noise.
		return nil, newError(filename, diags, p.Files())
	}
	d := &decoder{diags: diags, opts: opts}
	cfg := d.decodeFile(file.Body, filename)
	if d.diags.HasErrors() {
		return nil, newError(filename, d.diags, p.Files())
	}
	return cfg, nil
}

// Environment returns the environment declared under name, or under name as
// an alias, so that callers can resolve --env values directly. It returns
// nil if there is none.
func (c *Config) Environment(name string) *Environment {
	if c == nil {
		return nil
	}
	for i := range c.Environments {
		if c.Environments[i].Name == name {
			return &c.Environments[i]
		}
	}
	for i := range c.Environments {
		for _, a := range c.Environments[i].Aliases {
			if a == name {
				return &c.Environments[i]
			}
		}
	}
	return nil
}

// Aliases returns the aliases of the environment named env (or aliased as
// env), or nil if it is undeclared or has none.
func (c *Config) Aliases(env string) []string {
	if e := c.Environment(env); e != nil {
		return e.Aliases
	}
	return nil
}

// Source returns the resolved configuration directory of the environment
// named env (or aliased as env), or "" if it is undeclared or has none.
func (c *Config) Source(env string) string {
	if e := c.Environment(env); e != nil {
		return e.Source
	}
	return ""
}

// Lockfile returns the resolved lock file path of the environment named env
// (or aliased as env), or "" if it is undeclared or has none.
func (c *Config) Lockfile(env string) string {
	if e := c.Environment(env); e != nil {
		return e.Lockfile
	}
	return ""
}

// resolvePath interprets path, as written in the config file named
// filename, relative to that file's directory, so that the config means
// the same thing whichever directory lockstep is run from.
func resolvePath(filename, path string) string {
	// An HCP Terraform workspace (hcp:ORG/NAME) is not a path.
	if filepath.IsAbs(path) || strings.HasPrefix(path, "hcp:") {
		return path
	}
	return filepath.Join(filepath.Dir(filename), path)
}

// depthError reports nesting beyond guard.MaxDepth as a one-diagnostic
// *Error. The file is not kept for source snippets: its line can be as long
// as the nesting.
func depthError(filename string, err error) error {
	ge, ok := err.(*guard.Error)
	if !ok {
		return err
	}
	pos := hcl.Pos{Line: ge.Line, Column: ge.Column, Byte: int(ge.Offset)}
	return newError(filename, hcl.Diagnostics{{
		Severity: hcl.DiagError,
		Summary:  "Nesting too deep",
		Detail:   "The file is " + ge.Problem + "; lockstep.hcl needs only a few levels.",
		Subject:  &hcl.Range{Filename: filename, Start: pos, End: pos},
	}}, nil)
}
