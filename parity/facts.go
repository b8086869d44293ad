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
}

// PromotionPath is one attribute the target would change ahead of the
// previous environment.
type PromotionPath struct {
	Path     string `json:"path"`
	Target   any    `json:"target"`
	Previous any    `json:"previous"`
}
