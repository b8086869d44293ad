// Package snapshot is the in-memory model of one environment as lockstep sees
// it: the resources that exist now, what the plan (if any) will leave behind,
// and what drifted. Parsers produce it and the parity engine consumes it; it
// exists so that neither side depends on Terraform's many JSON dialects.
//
// A Snapshot never holds a sensitive value in clear text. Parsers replace
// every value that Terraform marks sensitive anywhere in the run's inputs
// (and every repetition of it, and whatever another input holds at a marked
// place) with a Sensitive marker carrying a keyed hash, and rename secret map
// keys, so no later stage can print a secret by accident.
package snapshot

import "github.com/lockstep-iac/lockstep/report"

// Kind is the kind of input a Snapshot was read from.
type Kind string

// The input kinds lockstep reads.
const (
	KindPlan     Kind = "plan"
	KindState    Kind = "state"
	KindRawState Kind = "raw-state"
)

// Snapshot is one environment's resources, read from one source.
type Snapshot struct {
	Source           string
	Kind             Kind
	SHA256           string
	FormatVersion    string
	TerraformVersion string
	// Resources holds every managed resource instance that exists now or will
	// exist after the plan, keyed by its Terraform address.
	Resources map[string]*Resource
	// Drift holds the plan's resource_drift entries (changes made outside
	// Terraform), for managed resources.
	Drift []*Change
	// Sensitive counts the distinct secret strings (values and map keys) of
	// the run the snapshot was redacted with; they were replaced wherever
	// they appeared.
	Sensitive int
	// Modules maps every module call's address ("module.app",
	// "module.app.module.db") to its source and version constraint, from a
	// plan's configuration. Nil when the input has no configuration (states).
	Modules map[string]ModuleCall
	// Providers maps a provider's source address
	// ("registry.terraform.io/hashicorp/aws") to the version locked in the
	// environment's .terraform.lock.hcl. Nil when no lock file was read.
	Providers map[string]string
	// LockFile is the path of the lock file Providers came from, or "".
	LockFile string
	// NoExponents is true when the reader knows that no number in the
	// resources' values is written with an exponent ("1e5"), so that a
	// consumer that treats such numbers apart (the policy input, for
	// numbers OPA cannot hold) need not look at every value. False when
	// not known. Not part of the snapshot's JSON: it says how it was
	// read, not what it holds.
	NoExponents bool `json:"-"`
	// Tool is which tool wrote the inputs, ToolOpenTofu or ToolTerraform,
	// where they tell (provider source addresses, the binary that ran);
	// "" when nothing tells them apart. Left out of JSON dumps when ""
	// so that snapshots of inputs that do not tell stay as they were.
	Tool string `json:",omitempty"`
}

// The tools Snapshot.Tool names.
const (
	ToolTerraform = "terraform"
	ToolOpenTofu  = "opentofu"
)

// ModuleCall is one module block as the configuration wrote it.
type ModuleCall struct {
	Source string
	// Version is the version constraint ("~> 5.0"); "" for local and VCS
	// sources, which carry no version.
	Version string
}

// Resource is one managed resource instance.
type Resource struct {
	Address string
	Module  string // "" for the root module
	Type    string
	Name    string
	// Now is the object in the current state (prior_state for a plan); nil
	// when the instance does not exist yet.
	Now *Object
	// After is the object once the plan is applied; nil when the plan deletes
	// it. For a state input After == Now.
	After *Object
	// Actions are the plan's actions for this instance ("no-op", "create",
	// "update", "delete", ...); empty for states and for instances the plan
	// does not mention (for example outside a -target).
	Actions []string
	Tainted bool
	// PreviousAddress is the address a moved block renames this instance
	// from, when the plan moves it; "" otherwise.
	PreviousAddress string
}

// Object is a resource's attribute values. Numbers are json.Number, so big
// integers stay exact; sensitive leaves are Sensitive values.
type Object struct {
	// Values are the top-level attributes; below them, objects are
	// map[string]any and lists []any, as encoding/json decodes them.
	Values *Attributes
	// Unknown mirrors Values' structure with true where the value is only
	// known after apply (Terraform's after_unknown). Nil when nothing is
	// unknown.
	Unknown any
	// Sensitive maps the dot path ("password", "tags.token",
	// "rule.0.secret") of every hidden value to its Sensitive hash; nil
	// when nothing is hidden.
	Sensitive map[string]string
}

// Change is one drift entry: the stored object and what Terraform read back.
type Change struct {
	Address string
	Type    string
	Actions []string
	Before  map[string]any
	After   map[string]any
}

// Sensitive stands in for a sensitive value. Hash is a keyed hash (HMAC) of
// the value, comparable within one run and useless outside it.
type Sensitive struct {
	Hash string
	// Weak is true when the value is too plain to be a credential: null, a
	// boolean, a number, or a string shorter than MinSecretLength (or a
	// collection of only such values). The same weak value in two
	// environments is not a shared secret.
	Weak bool
	// Tokens lists, space-separated in the order parser.Options gave them,
	// the environment names and aliases the value holds as whole words
	// (envtoken): production's secret naming staging is evidence that it
	// was copied from staging, and this is all of the value that is kept
	// to show it. Empty when the run named no environments.
	Tokens string
}

// SensitiveText is how a hidden value is shown, everywhere.
const SensitiveText = report.SensitiveText

// MarshalJSON renders the marker as "(sensitive)", never its hash, so that
// no encoder anywhere can print more than that.
func (Sensitive) MarshalJSON() ([]byte, error) { return []byte(`"` + SensitiveText + `"`), nil }

// MinSecretLength is the shortest string that counts as a credential when
// two environments share it.
const MinSecretLength = 8

// Changes reports whether the actions change the instance.
func Changes(actions []string) bool {
	for _, a := range actions {
		switch a {
		case "create", "update", "delete", "forget":
			return true
		}
	}
	return false
}

// ActionVerb summarises an action list as one word: create, update, delete,
// replace, forget or no-op.
func ActionVerb(actions []string) string {
	hasCreate, hasDelete := false, false
	for _, a := range actions {
		switch a {
		case "create":
			hasCreate = true
		case "delete":
			hasDelete = true
		case "update", "forget", "read":
			return a
		}
	}
	switch {
	case hasCreate && hasDelete:
		return "replace"
	case hasCreate:
		return "create"
	case hasDelete:
		return "delete"
	}
	return "no-op"
}
