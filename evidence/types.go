// Package evidence is the contract of `lockstep report`: one versioned JSON
// document that records, for a whole fleet of stacks, what was compared,
// by which rules, with which result, and how to check that later. Every
// format of the report (html, markdown, text) is rendered from it, and
// shards of one run merge into it, so everything it holds is derived from
// its stacks by one function (Finalize) and sorted: the same inputs and
// as-of date give the same bytes. It depends only on package report, so the
// renderers and the runner share it without bringing each other along.
// Fields are only ever added, never renamed; docs/report.md documents them.
package evidence

import "github.com/lockstep-iac/lockstep/report"

// SchemaVersion is the version of the evidence document.
const SchemaVersion = 1

// DocumentKind tells an evidence document from a `lockstep check` report.
const DocumentKind = "lockstep-report"

// Document is the whole evidence of one report (or, with Shard set, of one
// shard of it).
type Document struct {
	Version int    `json:"version"`
	Kind    string `json:"kind"`
	Tool    Tool   `json:"tool"`
	// AsOf is the UTC day waivers and trends are judged on (YYYY-MM-DD).
	AsOf string `json:"as_of"`
	// GeneratedAt is the generation time in UTC, RFC 3339, only when asked
	// for (--timestamp): without it the document is reproducible.
	GeneratedAt string     `json:"generated_at,omitempty"`
	Shard       *Shard     `json:"shard,omitempty"`
	Parameters  Parameters `json:"parameters"`
	Summary     Summary    `json:"summary"`
	// Pairs are the environment pairs of the matrix's columns: every
	// stack's consecutive pairs along its promotion chain, in order of
	// first appearance.
	Pairs  []Pair      `json:"pairs"`
	Matrix []MatrixRow `json:"matrix"`
	Groups []Group     `json:"groups"`
	Stacks []Stack     `json:"stacks"`
	// Resolved are the findings of the previous report that this one no
	// longer has (stacks with an input error left out: unknown is not
	// resolved).
	Resolved []Resolved `json:"resolved,omitempty"`
	// History is the totals of earlier reports, oldest first, ending with
	// this one's; at most HistoryLength points.
	History  []HistoryPoint `json:"history"`
	Evidence Evidence       `json:"evidence"`
}

// HistoryLength bounds Document.History.
const HistoryLength = 12

// Tool is the program that made the document.
type Tool struct {
	Name       string `json:"name"`
	Version    string `json:"version"`
	Commit     string `json:"commit,omitempty"`
	OPAVersion string `json:"opa_version"`
}

// Shard is which part of the fleet a partial document covers: stacks whose
// name hashes to Index (1-based) of Count.
type Shard struct {
	Index int `json:"index"`
	Count int `json:"count"`
}

// Parameters are what decided the content: the command line with secrets
// redacted (destinations, sharding and parallelism left out, as they do
// not change the content), and its settings.
type Parameters struct {
	CommandLine       []string `json:"command_line"`
	Patterns          []string `json:"patterns"`
	Config            string   `json:"config,omitempty"`
	Policies          []string `json:"policies,omitempty"`
	FailOn            string   `json:"fail_on"`
	ExpiryWarningDays int      `json:"expiry_warning_days"`
	RequireTicket     bool     `json:"require_ticket,omitempty"`
}

// Status is a stack's or a matrix cell's outcome.
type Status string

// Statuses. A cell is StatusWaived when all its findings are waived.
const (
	StatusParity        Status = "in-parity"
	StatusFindings      Status = "findings"
	StatusWaived        Status = "waived"
	StatusInputError    Status = "input-error"
	StatusNotComparable Status = "not-comparable"
)

// Summary is the fleet at a glance.
type Summary struct {
	Stacks        int            `json:"stacks"`
	InParity      int            `json:"in_parity"`
	WithFindings  int            `json:"with_findings"`
	InputError    int            `json:"input_error"`
	NotComparable int            `json:"not_comparable"`
	Findings      report.Summary `json:"findings"`
	ByRule        []RuleCount    `json:"by_rule"`
	Waivers       WaiverCounts   `json:"waivers"`
	// Expiring are the waivers that expire within ExpiryWarningDays.
	Expiring []WaiverRef  `json:"expiring"`
	Trend    *TrendCounts `json:"trend,omitempty"`
}

// RuleCount is one rule's findings across the fleet.
type RuleCount struct {
	Rule     string          `json:"rule"`
	Severity report.Severity `json:"severity"`
	report.Summary
}

// WaiverCounts count waivers by state across the fleet.
type WaiverCounts struct {
	Active        int `json:"active"`
	Expiring      int `json:"expiring"`
	Expired       int `json:"expired"`
	Stale         int `json:"stale"`
	MissingTicket int `json:"missing_ticket"`
}

// WaiverRef names one waiver of one stack.
type WaiverRef struct {
	Stack    string `json:"stack"`
	Name     string `json:"name"`
	Owner    string `json:"owner"`
	Expires  string `json:"expires"`
	DaysLeft int    `json:"days_left"`
}

// TrendCounts count findings against the previous report.
type TrendCounts struct {
	Previous   string `json:"previous_as_of"`
	New        int    `json:"new"`
	Persisting int    `json:"persisting"`
	Resolved   int    `json:"resolved"`
}

// Pair is two consecutive environments of a promotion chain.
type Pair struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// MatrixRow is one stack's row of the parity matrix.
type MatrixRow struct {
	Stack  string `json:"stack"`
	Status Status `json:"status"`
	Cells  []Cell `json:"cells"`
}

// Cell is one environment pair of one stack: the findings that name both
// environments, or one of them alone.
type Cell struct {
	Pair
	Status Status `json:"status"`
	report.Summary
}

// Group is one divergence seen in several stacks: same rule, same address
// with instance keys collapsed, same attribute path, same environments.
type Group struct {
	Rule         string          `json:"rule"`
	Severity     report.Severity `json:"severity"`
	Address      string          `json:"address"`
	Attribute    string          `json:"attribute,omitempty"`
	Environments []string        `json:"environments"`
	Stacks       []string        `json:"stacks"`
}

// Stack is one Terraform configuration and what was found in it.
type Stack struct {
	Name   string `json:"name"`
	Status Status `json:"status"`
	// Reason says why a stack has an input error or is not comparable.
	Reason string `json:"reason,omitempty"`
	// Environments are in promotion order.
	Environments []string `json:"environments"`
	// Configs are the lockstep.hcl files that applied, fleet's first.
	Configs  []string       `json:"configs,omitempty"`
	Summary  report.Summary `json:"summary"`
	Findings []Finding      `json:"findings"`
	Declared []Declared     `json:"declared"`
	Waivers  []Waiver       `json:"waivers"`
}

// Finding is a check finding with its identity across reports.
type Finding struct {
	report.Finding
	// ID identifies the finding across reports: stack, rule, address,
	// environments and attribute paths, hashed.
	ID string `json:"id"`
	// Trend is "new" or "persisting" when a previous report was given.
	Trend string `json:"trend,omitempty"`
	// FirstSeen is the as-of day of the first report that had it.
	FirstSeen string `json:"first_seen"`
}

// Declared is one intended difference of lockstep.hcl.
type Declared struct {
	// Kind is "expect_difference" or "only_in".
	Kind        string   `json:"kind"`
	Name        string   `json:"name,omitempty"`
	Environment string   `json:"environment,omitempty"`
	Resources   []string `json:"resources"`
	Attributes  []string `json:"attributes,omitempty"`
	// Environments is the scope of an expect_difference (environments =
	// [...]); absent when it applies to every environment.
	Environments []string `json:"environments,omitempty"`
	Reason       string   `json:"reason"`
	File         string   `json:"file"`
	Line         int      `json:"line"`
}

// Waiver is a lockstep.hcl waiver as an audit record.
type Waiver struct {
	Name       string   `json:"name"`
	Rule       string   `json:"rule"`
	Resources  []string `json:"resources,omitempty"`
	Owner      string   `json:"owner"`
	Reason     string   `json:"reason"`
	Ticket     string   `json:"ticket,omitempty"`
	ApprovedBy string   `json:"approved_by,omitempty"`
	Expires    string   `json:"expires"`
	// DaysLeft is negative once expired.
	DaysLeft int `json:"days_left"`
	// State is active, expiring, expired or stale (matches nothing).
	State   string `json:"state"`
	Matched int    `json:"matched"`
	// MissingTicket is set when the config requires a ticket and an
	// approver and the waiver lacks one.
	MissingTicket bool   `json:"missing_ticket,omitempty"`
	File          string `json:"file"`
	Line          int    `json:"line"`
}

// Waiver states.
const (
	WaiverActive   = "active"
	WaiverExpiring = "expiring"
	WaiverExpired  = "expired"
	WaiverStale    = "stale"
)

// Resolved is a finding of the previous report that is gone.
type Resolved struct {
	Stack        string   `json:"stack"`
	ID           string   `json:"id"`
	Rule         string   `json:"rule"`
	Address      string   `json:"address"`
	Environments []string `json:"environments"`
	FirstSeen    string   `json:"first_seen"`
}

// HistoryPoint is one report's totals.
type HistoryPoint struct {
	AsOf     string `json:"as_of"`
	Stacks   int    `json:"stacks"`
	InParity int    `json:"in_parity"`
	report.Summary
}

// Evidence is what shows the report complete and accurate against its
// sources and parameters.
type Evidence struct {
	Inputs     []Input    `json:"inputs"`
	Configs    []File     `json:"configs"`
	RuleBundle RuleBundle `json:"rule_bundle"`
	// VCSCommit is the commit of the configuration's repository, from
	// GITHUB_SHA or git rev-parse HEAD; "" when unknown.
	VCSCommit string `json:"vcs_commit,omitempty"`
	Counts    Counts `json:"counts"`
}

// Input is one environment input of one stack.
type Input struct {
	Stack            string `json:"stack"`
	Environment      string `json:"environment"`
	Path             string `json:"path"`
	Kind             string `json:"kind,omitempty"`
	Size             int64  `json:"size"`
	SHA256           string `json:"sha256,omitempty"`
	TerraformVersion string `json:"terraform_version,omitempty"`
	// Tool is "terraform" or "opentofu" where the input tells (see
	// report.Environment.Tool); omitted otherwise.
	Tool string `json:"tool,omitempty"`
	// Serial and Lineage are a raw state's; a plan is identified by its
	// SHA256.
	Serial    *int64 `json:"serial,omitempty"`
	Lineage   string `json:"lineage,omitempty"`
	Resources int    `json:"resources"`
	// ReadFrom says how a Terraform working directory was read (what was
	// run, which workspace and backend); absent for files.
	ReadFrom *report.ReadFrom `json:"read_from,omitempty"`
	// Error is why the input could not be read.
	Error string `json:"error,omitempty"`
}

// File is a file and its digest.
type File struct {
	Path   string `json:"path"`
	SHA256 string `json:"sha256"`
}

// RuleBundle identifies the rules: the built-in ones, as embedded in the
// binary, and the --policy files.
type RuleBundle struct {
	SHA256  string `json:"sha256"`
	Builtin string `json:"builtin_sha256"`
	Files   []File `json:"policy_files,omitempty"`
}

// Counts say how much was read, and what was skipped and why.
type Counts struct {
	Stacks       int       `json:"stacks"`
	Environments int       `json:"environments"`
	Resources    int       `json:"resources"`
	Complete     bool      `json:"complete"`
	Skipped      []Skipped `json:"skipped"`
}

// Skipped is a stack that was not (fully) compared.
type Skipped struct {
	Stack  string `json:"stack"`
	Reason string `json:"reason"`
}
