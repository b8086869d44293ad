// Package parity turns the Snapshots of several environments into Facts: one
// entry per matched resource saying where it exists now and after the plans,
// what each plan does to it, and which attribute paths differ. It does all
// the joining and comparing in Go (a hash join on canonical addresses, linear
// in the number of resources) so that the Rego rules only judge compact facts
// and never walk raw plans or join two environments themselves.
package parity

// Facts is the result of comparing environments. Field names and JSON tags
// are part of the policy input document.
type Facts struct {
	// Environments in promotion order.
	Environments []string `json:"environments"`
	// Kinds maps each environment to its input kind (plan, state,
	// raw-state): rules word things differently when there is no plan.
	Kinds map[string]string `json:"kinds"`
	// Target is the environment about to be applied (--target), or "".
	Target string `json:"target"`
	// Previous is the environment before Target in the promotion chain.
	Previous  string      `json:"previous"`
	Resources []*Resource `json:"resources"`
	// Drift lists, per environment, the resources its plan says were
	// changed outside Terraform (resource_drift).
	Drift []*Drift `json:"drift"`
	// Versions compares what each environment was planned and built with:
	// the Terraform version, locked provider versions, module sources and
	// version constraints. Only items known in two or more environments
	// (or missing from a lock file or configuration that was read) appear.
	Versions []*Version `json:"versions"`
	// Usage says what lockstep.hcl's declarations matched; it is not part
	// of the input document (the waiver-stage rules see it).
	Usage *Usage `json:"-"`
}

// Resource is one resource matched across environments.
type Resource struct {
	// Address is the resource's address in the first environment (promotion
	// order) that has it; Canonical has environment tokens replaced.
	Address   string `json:"address"`
	Canonical string `json:"canonical"`
	Type      string `json:"type"`
	// OnlyIn lists the environments lockstep.hcl says this resource belongs
	// to exclusively (only_in blocks).
	OnlyIn []string `json:"only_in"`
	// Envs has one entry per environment, in promotion order, present or not.
	Envs []EnvState `json:"environments"`
	// Attributes lists only the paths that differ now or after the plans (or
	// whose planned value is unknown in some environment).
	Attributes []*Attribute `json:"attributes"`
	// Promotion is set when --target is given and the target's plan changes
	// this resource.
	Promotion *Promotion `json:"promotion,omitempty"`
	// References are values of this resource, in some environment, that
	// identify a resource of another environment and none of its own, or
	// that name another environment (Reference.Token).
	References []Reference `json:"references"`
	// SharedSecrets are attribute paths where two or more environments hold
	// the same sensitive value (compared by keyed hash, never shown).
	SharedSecrets []SharedSecret `json:"shared_secrets"`
	// AttributesOmitted and SharedSecretsOmitted count the paths found
	// beyond the first MaxPaths, which are not listed (absent when none).
	AttributesOmitted    int `json:"attributes_omitted,omitempty"`
	SharedSecretsOmitted int `json:"shared_secrets_omitted,omitempty"`
}

// Reference is one value in one environment that equals an identifier
// (id, arn, self link, name) of another environment's resource.
type Reference struct {
	// Env and Address say where the value is used; Path is the attribute.
	Env     string `json:"env"`
	Address string `json:"address"`
	Path    string `json:"path"`
	// Value is the identifier itself; identifiers are never sensitive
	// (a sensitive value is never a string here, so it never matches).
	Value string `json:"value"`
	// Planned is true when only the plan's result holds the value: the
	// plan is about to introduce the reference.
	Planned bool `json:"planned"`
	// Owner is the resource the identifier belongs to. For a Token
	// reference only Owner.Env is set: the environment the token names.
	Owner Owner `json:"owner"`
	// Embedded is true when Value is one token of a longer string (a URL,
	// an ARN, a JSON document, a connection string) rather than the whole
	// value at Path.
	Embedded bool `json:"embedded,omitempty"`
	// Token, when set, is another environment's name or alias that the
	// value at Path holds as a whole word (envtoken); Value is then the
	// whole value, or "(sensitive)" for a secret.
	Token string `json:"token,omitempty"`
}

// Owner names the resource, and its attribute, that an identifier identifies.
type Owner struct {
	Env       string `json:"env"`
	Address   string `json:"address"`
	Attribute string `json:"attribute"`
}

// SharedSecret is one attribute path where several environments hold the
// same sensitive value.
type SharedSecret struct {
	Path string   `json:"path"`
	Envs []string `json:"environments"`
}

// Drift is one resource_drift entry of one environment's plan.
type Drift struct {
	Env     string `json:"env"`
	Address string `json:"address"`
	Type    string `json:"type"`
	// Action is update or delete (deleted outside Terraform).
	Action string `json:"action"`
	// Attributes are the paths that changed, with display values (secrets
	// are "(sensitive)"). Identifiers and timestamps are left out, as in
	// comparisons; an update that only touched those is not listed at all.
	Attributes []DriftAttribute `json:"attributes"`
	// AttributesOmitted counts the changed paths beyond the first
	// MaxPaths, which are not listed (absent when none).
	AttributesOmitted int `json:"attributes_omitted,omitempty"`
}

// DriftAttribute is one attribute changed outside Terraform.
type DriftAttribute struct {
	Path   string `json:"path"`
	Before any    `json:"before"`
	After  any    `json:"after"`
}

// Version is one versioned thing compared across environments.
type Version struct {
	// Kind is terraform, provider, module-source or module-version.
	Kind string `json:"kind"`
	// Name is "terraform", the provider's source address, or the module
	// call's address.
	Name string `json:"name"`
	// Values maps each environment that has the item to its value.
	Values map[string]string `json:"values"`
	// Missing lists environments whose lock file or configuration was read
	// but does not have the item.
	Missing []string `json:"missing"`
	// Sources maps environments to the lock file a provider version was
	// read from; empty for the other kinds, which come from the input file.
	Sources map[string]string `json:"sources"`
	// Differs is true when the values differ (after replacing environment
	// names) or some environment is missing the item.
	Differs bool `json:"differs"`
}

// EnvState is a resource's presence and planned actions in one environment.
type EnvState struct {
	Env     string   `json:"env"`
	Address string   `json:"address"`
	Now     bool     `json:"now"`
	After   bool     `json:"after"`
	Actions []string `json:"actions"`
	// Action summarises Actions: create, update, delete, replace, forget or
	// no-op ("" when the input has no plan for it).
	Action string `json:"action"`
}

// Attribute is one attribute path that differs between environments.
// Values are redacted display values: "(sensitive)" for secrets, and
// "(known after apply)" for unknowns.
type Attribute struct {
	Path string `json:"path"`
	// Now and After map environment name to value, for the environments
	// where the resource exists at that point.
	Now   map[string]any `json:"now"`
	After map[string]any `json:"after"`
	// Changed lists the environments whose plan changes this path.
	Changed []string `json:"changed"`
	// Unknown lists the environments whose planned value is unknown.
	Unknown      []string `json:"unknown"`
	DiffersNow   bool     `json:"differs_now"`
	DiffersAfter bool     `json:"differs_after"`
	// Diverges says which changing environment the plans take away from
	// its neighbour in promotion order (see Divergence); absent when the
	// plans leave the path equal, or when only unknowns and differences
	// among unchanged environments make it differ.
	Diverges *Divergence `json:"diverges,omitempty"`
	// References is set when the attribute is a list of references in
	// every environment (each element identifies a resource of that
	// environment's own state): the lists were compared as the sets of
	// resources they point at, not by position (refsets.go).
	References *AttributeReferences `json:"references,omitempty"`
}

// Promotion compares what the target's plan will do with what the previous
// environment in the promotion chain already has in its current state.
type Promotion struct {
	Previous string `json:"previous"`
	// PreviousHas tells whether the previous environment has the resource now.
	PreviousHas bool `json:"previous_has"`
	// Action is the target's planned action (create, update, delete, ...).
	Action string `json:"action"`
	// Paths are the attributes the target's plan sets to a value the
	// previous environment does not have now.
	Paths []PromotionPath `json:"paths"`
	// PathsOmitted counts the paths beyond the first MaxPaths, which are
	// not listed (absent when none).
	PathsOmitted int `json:"paths_omitted,omitempty"`
}

// PromotionPath is one attribute the target would change ahead of the
// previous environment.
type PromotionPath struct {
	Path     string `json:"path"`
	Target   any    `json:"target"`
	Previous any    `json:"previous"`
}
