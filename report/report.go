// Package report holds the JSON report contract that every output format is
// rendered from: the Report, its findings, their severities and the counts.
// The Report type is the stable interface between the engine and its users
// (CI annotations, dashboards, archived evidence), so fields are only ever
// added, never renamed. It imports nothing outside the standard library, so
// the policy engine, the pipeline and the renderers (package output) share
// it without bringing each other along.
package report

import (
	"fmt"
	"sort"
)

// SchemaVersion is the version of the JSON report contract.
const SchemaVersion = 1

// SensitiveText is how a value Terraform marks sensitive is shown, in every
// format and in the facts the Rego rules see (which get it from data, so
// that no rule spells it). It lives here, with no dependencies, so that the
// parser, the comparison and the renderers all name the same constant.
const SensitiveText = "(sensitive)"

// Severity is how much a finding matters: error or warning. Waived is not
// a severity: a waived finding keeps its rule's severity and is counted
// apart (Summary.Waived).
type Severity string

// Severities, ordered from most to least severe.
const (
	SeverityError   Severity = "error"
	SeverityWarning Severity = "warning"
)

// SeverityErr is the error ParseSeverity returns for anything but "error"
// or "warning"; its callers (lockstep.hcl, METADATA, a rule's finding)
// each say where the value was.
type SeverityErr struct{ Value string }

func (e *SeverityErr) Error() string {
	return fmt.Sprintf("severity must be %q or %q, not %q", SeverityError, SeverityWarning, e.Value)
}

// ParseSeverity is the one reader of a severity, for lockstep.hcl's rule
// blocks, a rule's METADATA and the findings rules return. It is exact:
// "Error" or "critical" is refused rather than guessed at.
func ParseSeverity(s string) (Severity, error) {
	switch sev := Severity(s); sev {
	case SeverityError, SeverityWarning:
		return sev, nil
	}
	return "", &SeverityErr{Value: s}
}

// Report is the whole result of one `lockstep check` run.
type Report struct {
	Version      int           `json:"version"`
	Tool         Tool          `json:"tool"`
	Environments []Environment `json:"environments"`
	Findings     []Finding     `json:"findings"`
	Summary      Summary       `json:"summary"`
	// Rules are the rules this run evaluated (disabled ones left out),
	// sorted by id: what SARIF's rule table, JUnit's suites and the
	// Markdown verdict are rendered from.
	Rules []Rule `json:"rules,omitempty"`
}

// Rule is one evaluated rule's documentation, from its METADATA.
type Rule struct {
	ID          string   `json:"id"`
	Title       string   `json:"title"`
	Severity    Severity `json:"severity"`
	Description string   `json:"description,omitempty"`
	Remediation string   `json:"remediation,omitempty"`
	// HelpURI is where the rule is documented: docs/rules.md for built-in
	// rules, the first METADATA related_resources entry for user rules.
	HelpURI string `json:"help_uri,omitempty"`
	Builtin bool   `json:"builtin"`
	// Scope is ScopeEnvironment for a --env-policy rule, evaluated once
	// per environment over its plan or state as written; "" for the rules
	// that judge lockstep's cross-environment facts.
	Scope string `json:"scope,omitempty"`
}

// ScopeEnvironment is the Scope of a per-environment (--env-policy) rule.
const ScopeEnvironment = "environment"

// Tool names the program that wrote the report.
type Tool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// Environment describes one input: where it came from and a digest, so a
// compliance report is evidence of exactly what was audited.
type Environment struct {
	Name             string `json:"name"`
	Source           string `json:"source"`
	Kind             string `json:"kind"`
	TerraformVersion string `json:"terraform_version"`
	SHA256           string `json:"sha256"`
	// Tool is which tool wrote the input, "terraform" or "opentofu", where
	// the input tells (provider source addresses, lock file, the binary
	// that ran); omitted when nothing tells them apart (terraform_version
	// does not: both tools share version numbers).
	Tool string `json:"tool,omitempty"`
	// ReadFrom is set for an environment read from a Terraform working
	// directory, nil for a file.
	ReadFrom *ReadFrom `json:"read_from,omitempty"`
}

// Finding is one (rule, address, environments) triple.
type Finding struct {
	Rule         string    `json:"rule"`
	Severity     Severity  `json:"severity"`
	Address      string    `json:"address"`
	Environments []string  `json:"environments"`
	Message      string    `json:"message"`
	Details      Details   `json:"details"`
	Location     *Location `json:"location,omitempty"`
	// Locations are the source positions of the finding in every
	// environment whose sources were given, one per distinct position:
	// workspaces sharing one configuration share one entry, a directory
	// per environment gives one entry per environment. Location is the
	// first of them.
	Locations []Location `json:"locations,omitempty"`
	Waived    bool       `json:"waived"`
	Waiver    *Waiver    `json:"waiver,omitempty"`
}

// Details carries the evidence behind a finding. Values are already
// redacted: a sensitive value is the string "(sensitive)".
type Details struct {
	Attributes []AttributeDetail   `json:"attributes,omitempty"`
	Present    []string            `json:"present,omitempty"`
	Missing    []string            `json:"missing,omitempty"`
	Actions    map[string][]string `json:"actions,omitempty"`
	Addresses  map[string]string   `json:"addresses,omitempty"`
	// References are the values behind a cross-env-reference finding.
	References []Reference `json:"references,omitempty"`
	// Version is what a version-skew finding compares.
	Version *VersionDetail `json:"version,omitempty"`
	// Waiver is the lockstep.hcl waiver an expired-waiver finding is about.
	Waiver *WaiverDetail `json:"waiver,omitempty"`
	// Related are the findings of other rules on the same address that this
	// finding supersedes: one root cause, one finding (docs/rules.md,
	// "Precedence"). They are kept here so nothing is lost, and are waived
	// with this finding.
	Related []Related      `json:"related,omitempty"`
	Extra   map[string]any `json:"extra,omitempty"`
}

// Related is a finding folded into the finding of a more specific rule on
// the same address.
type Related struct {
	Rule         string   `json:"rule"`
	Severity     Severity `json:"severity"`
	Environments []string `json:"environments"`
	Message      string   `json:"message"`
	Details      Details  `json:"details"`
}

// Reference is a value in one environment that identifies another
// environment's resource, embeds such an identifier in a longer string
// (Embedded), or names another environment (Token; Owner then has only
// its Env, and Value is SensitiveText for a secret).
type Reference struct {
	Env      string `json:"env"`
	Path     string `json:"path"`
	Value    string `json:"value"`
	Planned  bool   `json:"planned"`
	Owner    Owner  `json:"owner"`
	Embedded bool   `json:"embedded,omitempty"`
	Token    string `json:"token,omitempty"`
}

// Owner is the resource (and its attribute) that an identifier belongs to.
type Owner struct {
	Env       string `json:"env"`
	Address   string `json:"address"`
	Attribute string `json:"attribute"`
}

// VersionDetail is one versioned item compared across environments: kind is
// terraform, provider, module-source or module-version.
type VersionDetail struct {
	Kind    string            `json:"kind"`
	Name    string            `json:"name"`
	Values  map[string]string `json:"values"`
	Missing []string          `json:"missing,omitempty"`
	Sources map[string]string `json:"sources,omitempty"`
}

// WaiverDetail describes a waiver as lockstep.hcl declares it, and how many
// findings it covered in this run.
type WaiverDetail struct {
	Name      string   `json:"name"`
	Rule      string   `json:"rule"`
	Resources []string `json:"resources,omitempty"`
	Owner     string   `json:"owner"`
	Reason    string   `json:"reason"`
	Expires   string   `json:"expires"`
	Expired   bool     `json:"expired"`
	Matched   int      `json:"matched"`
}

// AttributeDetail is one differing attribute path with its value per
// environment. Before holds the current values when the difference comes from
// a plan (one-sided-change, promotion-order).
type AttributeDetail struct {
	Path   string         `json:"path"`
	Values map[string]any `json:"values"`
	Before map[string]any `json:"before,omitempty"`
	// References is set when the attribute is a set of references: per
	// environment, the addresses of the resources it points at, sorted.
	References map[string][]string `json:"references,omitempty"`
}

// Location points a finding at Terraform source (or at lockstep.hcl for
// waiver findings). File is relative to the working directory when it lies
// below it, with forward slashes, so it is also a repository-relative path
// when lockstep runs at the repository root, as CI does.
type Location struct {
	File string `json:"file"`
	// Line is 1-based: the attribute's line when the finding names an
	// attribute found in the block, else the block header's.
	Line   int `json:"line"`
	Column int `json:"column,omitempty"`
	// EndLine is the last line of the block or attribute Line points at.
	EndLine int `json:"end_line,omitempty"`
	// Attribute is the attribute (or nested block) Line points at.
	Attribute string `json:"attribute,omitempty"`
	// Variable is set when this is where the environments' value of the
	// root module variable Variable is set, the attribute's value coming
	// from it: its line in a variable file (-var-file, *.auto.tfvars,
	// terraform.tfvars) or the variable's default. The fix for a finding
	// about a value usually belongs there rather than in the module.
	Variable string `json:"variable,omitempty"`
	// Environments are the environments whose configuration this is; empty
	// for lockstep.hcl.
	Environments []string `json:"environments,omitempty"`
}

// Positions are where a finding is: its Locations, else its one Location
// (lockstep.hcl for waiver findings), else none.
func (f Finding) Positions() []Location {
	if len(f.Locations) > 0 {
		return f.Locations
	}
	if f.Location != nil {
		return []Location{*f.Location}
	}
	return nil
}

// Waiver identifies the lockstep.hcl waiver that suppressed a finding.
type Waiver struct {
	Name    string `json:"name"`
	Owner   string `json:"owner"`
	Reason  string `json:"reason"`
	Expires string `json:"expires"`
}

// Summary counts findings that are not waived, by severity, and the waived
// ones (whatever their severity).
type Summary struct {
	Errors   int `json:"errors"`
	Warnings int `json:"warnings"`
	Waived   int `json:"waived"`
}

// Count is the one count of findings: the report's Summary and each rule
// group's (ByRule) are both made by it, so every format agrees on what a
// waived finding is.
func Count(fs []Finding) Summary {
	var s Summary
	for _, f := range fs {
		switch {
		case f.Waived:
			s.Waived++
		case f.Severity == SeverityError:
			s.Errors++
		case f.Severity == SeverityWarning:
			s.Warnings++
		}
	}
	return s
}

// Summarize recomputes the summary from the findings.
func (r *Report) Summarize() { r.Summary = Count(r.Findings) }

// Group is one rule's findings, in report order, with their count and the
// rule's documentation (zero but for ID when the report does not list the
// rule: a report built by hand, or by an older lockstep).
type Group struct {
	Rule     Rule
	Findings []Finding
	Summary  Summary
}

// ByRule groups the report by rule, one Group per id of RuleIDs, sorted by
// id: every rule the run evaluated, with or without findings, and any rule
// only the findings name.
func (r *Report) ByRule() []Group {
	rules := map[string]Rule{}
	for _, rule := range r.Rules {
		if _, ok := rules[rule.ID]; !ok {
			rules[rule.ID] = rule
		}
	}
	found := map[string][]Finding{}
	for _, f := range r.Findings {
		found[f.Rule] = append(found[f.Rule], f)
	}
	ids := r.RuleIDs()
	out := make([]Group, len(ids))
	for i, id := range ids {
		rule, ok := rules[id]
		if !ok {
			rule = Rule{ID: id}
		}
		out[i] = Group{Rule: rule, Findings: found[id], Summary: Count(found[id])}
	}
	return out
}

// RuleIDs is the union of the evaluated rules' ids and the ids findings
// name, sorted, each once.
func (r *Report) RuleIDs() []string {
	seen := map[string]bool{}
	var ids []string
	add := func(id string) {
		if !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	for _, rule := range r.Rules {
		add(rule.ID)
	}
	for _, f := range r.Findings {
		add(f.Rule)
	}
	sort.Strings(ids)
	return ids
}

// EnvironmentNames are the environments' names in promotion order, the
// order every format shows them in.
func (r *Report) EnvironmentNames() []string {
	names := make([]string, len(r.Environments))
	for i, e := range r.Environments {
		names[i] = e.Name
	}
	return names
}

// Sort orders findings deterministically: rule, address, environments, message.
func (r *Report) Sort() {
	sort.SliceStable(r.Findings, func(i, j int) bool {
		a, b := r.Findings[i], r.Findings[j]
		if a.Rule != b.Rule {
			return a.Rule < b.Rule
		}
		if a.Address != b.Address {
			return a.Address < b.Address
		}
		if ea, eb := joinEnvs(a.Environments), joinEnvs(b.Environments); ea != eb {
			return ea < eb
		}
		return a.Message < b.Message
	})
}

func joinEnvs(envs []string) string {
	s := ""
	for _, e := range envs {
		s += e + "\x00"
	}
	return s
}
