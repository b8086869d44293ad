package parser

import (
	"bytes"
	"encoding/json"

	"github.com/lockstep-iac/lockstep/snapshot"
)

// document is the union of the three input shapes, decoded in one pass; which
// fields are present tells the kinds apart. Only what lockstep uses is
// decoded (planned_values and most of configuration are skipped), which keeps
// large plans cheap.
type document struct {
	// plan and state JSON
	FormatVersion    *string `json:"format_version"`
	TerraformVersion string  `json:"terraform_version"`

	// plan JSON
	ResourceChanges *[]resourceChange       `json:"resource_changes"`
	ResourceDrift   []resourceChange        `json:"resource_drift"`
	PriorState      *stateJSON              `json:"prior_state"`
	PlannedValues   plannedValues           `json:"planned_values"`
	Variables       map[string]planVariable `json:"variables"`
	OutputChanges   map[string]change       `json:"output_changes"`
	Configuration   *configuration          `json:"configuration"`
	Errored         *bool                   `json:"errored"`
	Applyable       *bool                   `json:"applyable"`

	// state JSON
	Values *stateValues `json:"values"`

	// raw state
	Version   *strictNumber        `json:"version"`
	Resources []rawResource        `json:"resources"`
	Outputs   map[string]rawOutput `json:"outputs"`
	Modules   presence             `json:"modules"`
	Lineage   string               `json:"lineage"`
	Serial    json.Number          `json:"serial"`

	// OpenTofu's encrypted state and plan files (see encryptedState)
	EncryptedData presence `json:"encrypted_data"`
	Meta          presence `json:"meta"`
}

// plannedValues is a plan's planned_values: its objects are decoded only
// where they mark something (see learnPlanned).
type plannedValues struct {
	present bool
	values  *stateValues
}

func (p *plannedValues) UnmarshalJSON(b []byte) error {
	p.present = true
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	return dec.Decode(&p.values)
}

// presence records that a key was there without decoding its value.
type presence bool

func (p *presence) UnmarshalJSON([]byte) error { *p = true; return nil }

type resourceChange struct {
	Address       string `json:"address"`
	ModuleAddress string `json:"module_address"`
	Mode          string `json:"mode"`
	Type          string `json:"type"`
	Name          string `json:"name"`
	Deposed       string `json:"deposed"`
	// PreviousAddress is set when a moved block renames the instance.
	PreviousAddress string  `json:"previous_address"`
	Change          *change `json:"change"`
}

// change keeps its values as raw JSON: most changes in a large plan are
// no-ops whose objects equal prior_state's, and never need decoding.
type change struct {
	Actions         []string        `json:"actions"`
	Before          json.RawMessage `json:"before"`
	After           json.RawMessage `json:"after"`
	AfterUnknown    json.RawMessage `json:"after_unknown"`
	BeforeSensitive json.RawMessage `json:"before_sensitive"`
	AfterSensitive  json.RawMessage `json:"after_sensitive"`
	// lazy, when set, stands for Before and After: the streaming reader
	// leaves them in the input until a decision needs their bytes.
	lazy *lazyValues
}

type planVariable struct {
	Value any `json:"value"`
}

type configuration struct {
	RootModule struct {
		Variables map[string]struct {
			Default   any  `json:"default"`
			Sensitive bool `json:"sensitive"`
		} `json:"variables"`
		ModuleCalls map[string]*moduleCall `json:"module_calls"`
	} `json:"root_module"`
	// ProviderConfig is read for its source addresses (see ToolOf).
	ProviderConfig map[string]struct {
		FullName string `json:"full_name"`
	} `json:"provider_config"`
}

// moduleCall is one module block of a plan's configuration. Only the call's
// source, version and nested calls are decoded; the module's resources,
// variables and expressions are skipped.
type moduleCall struct {
	Source            string `json:"source"`
	VersionConstraint string `json:"version_constraint"`
	Module            *struct {
		ModuleCalls map[string]*moduleCall `json:"module_calls"`
	} `json:"module"`
}

type stateJSON struct {
	FormatVersion    string       `json:"format_version"`
	TerraformVersion string       `json:"terraform_version"`
	Values           *stateValues `json:"values"`
}

type stateValues struct {
	Outputs    map[string]stateOutput `json:"outputs"`
	RootModule *stateModule           `json:"root_module"`
}

type stateOutput struct {
	Sensitive bool `json:"sensitive"`
	Value     any  `json:"value"`
}

type stateModule struct {
	Address      string          `json:"address"`
	Resources    []stateResource `json:"resources"`
	ChildModules []*stateModule  `json:"child_modules"`
}

type stateResource struct {
	Address         string          `json:"address"`
	Mode            string          `json:"mode"`
	Type            string          `json:"type"`
	Name            string          `json:"name"`
	Values          json.RawMessage `json:"values"`
	SensitiveValues json.RawMessage `json:"sensitive_values"`
	Index           any             `json:"index"`
	Tainted         bool            `json:"tainted"`
	DeposedKey      string          `json:"deposed_key"`
	// ProviderName is the provider's source address (see ToolOf).
	ProviderName string `json:"provider_name"`
	// sum stands for Values once they are decoded (see learnedObjects).
	sum digest
	// lazy, when set, stands for Values, left in the input.
	lazy *lazyValues
}

type rawResource struct {
	Module    string        `json:"module"`
	Provider  string        `json:"provider"`
	Mode      string        `json:"mode"`
	Type      string        `json:"type"`
	Name      string        `json:"name"`
	Instances []rawInstance `json:"instances"`
}

type rawInstance struct {
	IndexKey            any                  `json:"index_key"`
	Status              string               `json:"status"`
	Deposed             string               `json:"deposed"`
	RawAttributes       json.RawMessage      `json:"attributes"`
	Attributes          *snapshot.Attributes `json:"-"`
	AttributesFlat      map[string]string    `json:"attributes_flat"`
	SensitiveAttributes []rawPath            `json:"sensitive_attributes"`
}

type rawPath []rawStep

type rawStep struct {
	Type  string          `json:"type"`
	Value json.RawMessage `json:"value"`
}

type rawOutput struct {
	Value     any  `json:"value"`
	Sensitive bool `json:"sensitive"`
}
