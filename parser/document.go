package parser

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/hashicorp/go-version"
	tfjson "github.com/hashicorp/terraform-json"

	"github.com/lockstep-iac/lockstep/internal/sourceaddr"
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

// addModuleCalls adds calls and, recursively, the calls they contain, keyed
// by their address under prefix ("module.app", "module.app.module.db").
func addModuleCalls(out map[string]snapshot.ModuleCall, prefix string, calls map[string]*moduleCall) {
	for name, c := range calls {
		if c == nil {
			continue
		}
		addr := prefix + "module." + name
		// Terraform does not mark a token in a source sensitive; it is
		// hidden here so that no later stage holds it.
		out[addr] = snapshot.ModuleCall{Source: sourceaddr.Redact(c.Source), Version: c.VersionConstraint}
		if c.Module != nil {
			addModuleCalls(out, addr+".", c.Module.ModuleCalls)
		}
	}
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
}

type rawResource struct {
	Module    string        `json:"module"`
	Mode      string        `json:"mode"`
	Type      string        `json:"type"`
	Name      string        `json:"name"`
	Instances []rawInstance `json:"instances"`
}

type rawInstance struct {
	IndexKey            any               `json:"index_key"`
	Status              string            `json:"status"`
	Deposed             string            `json:"deposed"`
	RawAttributes       json.RawMessage   `json:"attributes"`
	Attributes          map[string]any    `json:"-"`
	AttributesFlat      map[string]string `json:"attributes_flat"`
	SensitiveAttributes []rawPath         `json:"sensitive_attributes"`
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

var (
	planFormats  = version.MustConstraints(version.NewConstraint(tfjson.PlanFormatVersionConstraints))
	stateFormats = version.MustConstraints(version.NewConstraint(tfjson.StateFormatVersionConstraints))
)

func (d *document) isPlan() bool {
	return d.ResourceChanges != nil || d.PriorState != nil || d.PlannedValues.present ||
		d.ResourceDrift != nil || d.Configuration != nil || d.Variables != nil ||
		d.OutputChanges != nil || d.Errored != nil || d.Applyable != nil
}

// snapshot decodes the document and learns its marks (the collect phase);
// the function it returns builds the snapshot, redacted with r's marks.
func (d *document) snapshot(r *redactor) (func() *snapshot.Snapshot, error) {
	switch {
	case d.FormatVersion != nil && d.isPlan():
		if err := checkFormat("plan", *d.FormatVersion, planFormats); err != nil {
			return nil, err
		}
		if d.Errored != nil && *d.Errored {
			return nil, &InputError{Problem: "the plan errored (\"errored\": true): Terraform could not finish planning, so it says nothing reliable about this environment", Hint: "fix the errors `terraform plan` reported and plan again"}
		}
		return d.planSnapshot(r)
	case d.FormatVersion != nil:
		if err := checkFormat("state", *d.FormatVersion, stateFormats); err != nil {
			return nil, err
		}
		return d.stateSnapshot(r)
	case d.Version != nil:
		v, err := d.Version.Int64()
		switch {
		case err != nil:
			return nil, &InputError{Problem: "raw state \"version\" is not a whole number"}
		case v < 4:
			return nil, &InputError{Problem: fmt.Sprintf("raw state version %d is too old (lockstep reads version 4, written by Terraform 0.12 and later)", v), Hint: "upgrade it with Terraform >= 0.12 (`terraform init` then `terraform state pull`) or pass `terraform show -json` output"}
		case v > 4:
			return nil, &InputError{Problem: fmt.Sprintf("raw state version %d is newer than lockstep understands (4)", v), Hint: "pass `terraform show -json` output instead, or upgrade lockstep"}
		}
		return d.rawSnapshot(r)
	case bool(d.Modules):
		return nil, &InputError{Problem: "raw state without a version (legacy \"modules\" layout, Terraform 0.11 or older)", Hint: "upgrade it with Terraform >= 0.12"}
	}
	return nil, &InputError{Problem: "neither a Terraform plan nor a state: no \"format_version\" (plan or state JSON) and no \"version\" (raw state)", Hint: "produce it with `terraform show -json plan.out`, `terraform show -json` or `terraform state pull`"}
}

func checkFormat(kind, v string, c version.Constraints) error {
	if v == "" {
		return &InputError{Problem: kind + " has an empty \"format_version\""}
	}
	ver, err := version.NewVersion(v)
	if err != nil {
		return &InputError{Problem: kind + " \"format_version\" is not a version number"}
	}
	if !c.Check(ver) {
		return &InputError{Problem: fmt.Sprintf("%s format_version %s is not supported (lockstep reads %s)", kind, v, c), Hint: "upgrade lockstep, or produce the file with an older Terraform"}
	}
	return nil
}

// decodedObject is one resource object decoded from raw JSON, kept until
// every sensitive value of the input is known and it can be redacted.
type decodedObject struct {
	values  map[string]any
	mask    any
	unknown any
	// id is "TYPE.NAME", the key of the run's path marks (see Marks).
	id string
}

func decodeObject(values, sensitive, unknown json.RawMessage) (*decodedObject, error) {
	v, err := decodeValue(values)
	if err != nil {
		return nil, err
	}
	if v == nil {
		return nil, nil
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, &InputError{Problem: "a resource's values should be an object, found " + jsonKind(v)}
	}
	o := &decodedObject{values: m}
	if o.mask, err = decodeValue(sensitive); err != nil {
		return nil, err
	}
	if err := checkMask(o.mask, true); err != nil {
		return nil, err
	}
	if o.unknown, err = decodeValue(unknown); err != nil {
		return nil, err
	}
	return o, nil
}

// regenerate is the hint for marks Terraform never writes.
const regenerate = "regenerate the file with `terraform show -json` or `terraform state pull` rather than editing it"

// checkMask rejects sensitive_values (or before_sensitive, after_sensitive)
// of a shape Terraform never writes: every leaf is a boolean, and an
// object's marks (top) are an object or a boolean. Dropping a malformed mark
// would print the value it meant to hide. The message names the kind found,
// never a value.
func checkMask(mask any, top bool) error {
	switch m := mask.(type) {
	case nil, bool:
		return nil
	case map[string]any:
		for _, sub := range m {
			if err := checkMask(sub, false); err != nil {
				return err
			}
		}
		return nil
	case []any:
		if !top {
			for _, sub := range m {
				if err := checkMask(sub, false); err != nil {
					return err
				}
			}
			return nil
		}
	}
	return &InputError{Problem: "its sensitive marks hold " + jsonKind(mask) + " where Terraform writes only booleans, objects and (inside them) arrays", Hint: regenerate}
}

// decodeValue decodes a raw JSON value keeping numbers exact.
func decodeValue(raw json.RawMessage) (any, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return v, nil
}

func (r *redactor) object(o *decodedObject) *snapshot.Object {
	if o == nil {
		return nil
	}
	values, hidden := r.redactObject(o)
	return &snapshot.Object{Values: values, Unknown: nonEmptyMask(o.unknown), Sensitive: hidden}
}

func (d *document) planSnapshot(r *redactor) (func() *snapshot.Snapshot, error) {
	snap := &snapshot.Snapshot{Kind: snapshot.KindPlan, FormatVersion: *d.FormatVersion, TerraformVersion: d.TerraformVersion}

	// Pass 1: decode what is needed and learn every sensitive value.
	var prior []stateEntry
	inPrior := map[string]bool{}
	// learned holds the raw objects whose marks are learned already, by
	// address: a no-op's change and planned_values repeat prior_state's
	// object byte for byte, and decoding it again would double the cost
	// of a large plan for nothing.
	learned := learnedObjects{}
	if d.PriorState != nil {
		var err error
		if prior, err = decodeState(d.PriorState.Values, r); err != nil {
			return nil, fmt.Errorf("prior_state: %w", err)
		}
		for _, p := range prior {
			inPrior[p.res.Address] = true
			learned[p.res.Address] = p
		}
	}
	type changeEntry struct {
		rc            *resourceChange
		before, after *decodedObject
	}
	var changes []changeEntry
	if d.ResourceChanges != nil {
		for i := range *d.ResourceChanges {
			rc := &(*d.ResourceChanges)[i]
			if rc.Mode == "data" || rc.Deposed != "" {
				if err := r.learnChange(rc); err != nil {
					return nil, fmt.Errorf("resource_changes %s: %w", rc.Address, err)
				}
				continue
			}
			if rc.Change == nil || rc.Address == "" {
				return nil, &InputError{Problem: fmt.Sprintf("resource_changes[%d] has no address or no change", i)}
			}
			ce := changeEntry{rc: rc}
			noop := len(rc.Change.Actions) == 1 && rc.Change.Actions[0] == "no-op"
			var err error
			if !inPrior[rc.Address] {
				if ce.before, err = decodeObject(rc.Change.Before, rc.Change.BeforeSensitive, nil); err != nil {
					return nil, fmt.Errorf("resource_changes %s: %w", rc.Address, err)
				}
				r.collectObject(rc.Type, rc.Name, ce.before)
			} else if err := r.learnMarked(rc, rc.Change.Before, rc.Change.BeforeSensitive, learned); err != nil {
				return nil, fmt.Errorf("resource_changes %s: %w", rc.Address, err)
			}
			// A no-op leaves the object as it is now; its after is prior_state's.
			if !(noop && inPrior[rc.Address]) && !deletes(rc.Change.Actions) {
				if ce.after, err = decodeObject(rc.Change.After, rc.Change.AfterSensitive, rc.Change.AfterUnknown); err != nil {
					return nil, fmt.Errorf("resource_changes %s: %w", rc.Address, err)
				}
				r.collectObject(rc.Type, rc.Name, ce.after)
			} else if err := r.learnMarked(rc, rc.Change.After, rc.Change.AfterSensitive, learned); err != nil {
				return nil, fmt.Errorf("resource_changes %s: %w", rc.Address, err)
			}
			changes = append(changes, ce)
		}
	}
	var drift []changeEntry
	for i := range d.ResourceDrift {
		rc := &d.ResourceDrift[i]
		if rc.Change == nil {
			continue
		}
		if rc.Mode == "data" {
			if err := r.learnChange(rc); err != nil {
				return nil, fmt.Errorf("resource_drift %s: %w", rc.Address, err)
			}
			continue
		}
		before, err := decodeObject(rc.Change.Before, rc.Change.BeforeSensitive, nil)
		if err != nil {
			return nil, fmt.Errorf("resource_drift %s: %w", rc.Address, err)
		}
		after, err := decodeObject(rc.Change.After, rc.Change.AfterSensitive, nil)
		if err != nil {
			return nil, fmt.Errorf("resource_drift %s: %w", rc.Address, err)
		}
		r.collectObject(rc.Type, rc.Name, before)
		r.collectObject(rc.Type, rc.Name, after)
		drift = append(drift, changeEntry{rc, before, after})
	}
	for name, oc := range d.OutputChanges {
		for _, pair := range [][2]json.RawMessage{{oc.Before, oc.BeforeSensitive}, {oc.After, oc.AfterSensitive}} {
			v, err := decodeValue(pair[0])
			if err != nil {
				return nil, fmt.Errorf("output_changes: %w", err)
			}
			m, err := decodeValue(pair[1])
			if err != nil {
				return nil, fmt.Errorf("output_changes: %w", err)
			}
			r.collectNamed(outputType, name, v, m)
		}
	}
	if d.Configuration != nil {
		snap.Modules = map[string]snapshot.ModuleCall{}
		addModuleCalls(snap.Modules, "", d.Configuration.RootModule.ModuleCalls)
	}
	if err := r.learnPlanned(d.PlannedValues.values, learned); err != nil {
		return nil, fmt.Errorf("planned_values: %w", err)
	}
	r.collectVariables(d)

	// Pass 2, once every input's marks are known: build resources,
	// replacing sensitive values as we go.
	return func() *snapshot.Snapshot {
		snap.Resources = make(map[string]*snapshot.Resource, len(changes)+len(prior))
		addState(snap, prior, r)
		for _, ce := range changes {
			rc := ce.rc
			res := snap.Resources[rc.Address]
			if res == nil {
				res = &snapshot.Resource{Address: rc.Address, Module: rc.ModuleAddress, Type: rc.Type, Name: rc.Name, Now: r.object(ce.before)}
				res.After = res.Now
				snap.Resources[rc.Address] = res
			}
			res.Actions = rc.Change.Actions
			if rc.PreviousAddress != "" && rc.PreviousAddress != rc.Address {
				res.PreviousAddress = rc.PreviousAddress
			}
			switch {
			case deletes(rc.Change.Actions):
				res.After = nil
			case ce.after != nil:
				res.After = r.object(ce.after)
			case creates(rc.Change.Actions):
				// A create whose after is null: everything is unknown.
				res.After = &snapshot.Object{Values: map[string]any{}, Unknown: true}
			}
			if res.Now == nil && res.After == nil {
				delete(snap.Resources, rc.Address)
			}
		}
		for _, de := range drift {
			ch := &snapshot.Change{Address: de.rc.Address, Type: de.rc.Type, Actions: de.rc.Change.Actions}
			ch.Before, _ = r.redactObject(de.before)
			ch.After, _ = r.redactObject(de.after)
			snap.Drift = append(snap.Drift, ch)
		}
		snap.Sensitive = r.marks.Len()
		return snap
	}, nil
}

// objectType is the type under which a resource's marks are kept: a data
// source's apart from the managed resource of the same type and name.
func objectType(mode, typ string) string {
	if mode == "data" {
		return "data." + typ
	}
	return typ
}

// learnChange learns what a change that is not compared (a data source's, a
// deposed object's) marks, before and after.
func (r *redactor) learnChange(rc *resourceChange) error {
	if rc.Change == nil {
		return nil
	}
	for _, pair := range [][2]json.RawMessage{{rc.Change.Before, rc.Change.BeforeSensitive}, {rc.Change.After, rc.Change.AfterSensitive}} {
		o, err := decodeObject(pair[0], pair[1], nil)
		if err != nil {
			return err
		}
		r.collectObject(objectType(rc.Mode, rc.Type), rc.Name, o)
	}
	return nil
}

// learnMarked learns what one side of a change marks when that side is
// not otherwise used (prior_state holds the object): Terraform writes marks
// in both places, and one may hold what the other lacks. Unmarked sides are
// not decoded, which keeps the no-ops of large plans cheap.
func (r *redactor) learnMarked(rc *resourceChange, values, sensitive json.RawMessage, learned learnedObjects) error {
	if trivialMask(sensitive) || learned.has(rc.Address, values, sensitive) {
		return nil
	}
	o, err := decodeObject(values, sensitive, nil)
	if err != nil {
		return err
	}
	r.collectObject(objectType(rc.Mode, rc.Type), rc.Name, o)
	return nil
}

// learnPlanned learns what planned_values marks. Its objects are
// prior_state's and resource_changes' again, so only the marked ones are
// decoded: large plans stay cheap.
func (r *redactor) learnPlanned(v *stateValues, learned learnedObjects) error {
	if v == nil {
		return nil
	}
	for name, o := range v.Outputs {
		if o.Sensitive {
			r.collectNamed(outputType, name, o.Value, true)
		}
	}
	all := flattenModules(v.RootModule, nil)
	for i := range all {
		sr := &all[i]
		if trivialMask(sr.SensitiveValues) || learned.has(sr.Address, sr.Values, sr.SensitiveValues) {
			continue
		}
		obj, err := decodeObject(sr.Values, sr.SensitiveValues, nil)
		if err != nil {
			return fmt.Errorf("resource %s: %w", sr.Address, err)
		}
		r.collectObject(objectType(sr.Mode, sr.Type), sr.Name, obj)
	}
	return nil
}

// learnedObjects maps an address to the object whose marks were learned
// there (prior_state's), raw and decoded.
type learnedObjects map[string]stateEntry

// has reports whether the object at address, with these raw values and
// marks, teaches nothing new: the same values (byte for byte, as Terraform
// repeats them) under marks that prior_state's already cover. Only the
// small mask is decoded to tell; the values never are.
func (l learnedObjects) has(address string, values, sensitive json.RawMessage) bool {
	p, ok := l[address]
	if !ok || p.obj == nil || !bytes.Equal(p.res.Values, values) {
		return false
	}
	if bytes.Equal(p.res.SensitiveValues, sensitive) {
		return true
	}
	mask, err := decodeValue(sensitive)
	return err == nil && checkMask(mask, true) == nil && covered(mask, p.obj.mask)
}

// covered reports whether every mark of m is also a mark of p.
func covered(m, p any) bool {
	if b, ok := p.(bool); ok && b {
		return true
	}
	switch t := m.(type) {
	case nil:
		return true
	case bool:
		return !t
	case map[string]any:
		pm, _ := p.(map[string]any)
		for k, v := range t {
			if !covered(v, pm[k]) {
				return false
			}
		}
		return true
	case []any:
		pl, _ := p.([]any)
		for i, v := range t {
			var pv any
			if i < len(pl) {
				pv = pl[i]
			}
			if !covered(v, pv) {
				return false
			}
		}
		return true
	}
	return false
}

// trivialMask reports whether a raw mask marks nothing, without decoding it.
func trivialMask(raw json.RawMessage) bool {
	switch string(bytes.TrimSpace(raw)) {
	case "", "null", "false", "{}", "[]":
		return true
	}
	return false
}

func deletes(actions []string) bool {
	return len(actions) == 1 && (actions[0] == "delete" || actions[0] == "forget")
}

func creates(actions []string) bool {
	for _, a := range actions {
		if a == "create" {
			return true
		}
	}
	return false
}

func nonEmptyMask(m any) any {
	switch v := m.(type) {
	case nil:
		return nil
	case bool:
		if !v {
			return nil
		}
	case map[string]any:
		if len(v) == 0 {
			return nil
		}
	}
	return m
}

func (d *document) stateSnapshot(r *redactor) (func() *snapshot.Snapshot, error) {
	snap := &snapshot.Snapshot{Kind: snapshot.KindState, FormatVersion: *d.FormatVersion, TerraformVersion: d.TerraformVersion}
	entries, err := decodeState(d.Values, r)
	if err != nil {
		return nil, err
	}
	return func() *snapshot.Snapshot {
		snap.Resources = make(map[string]*snapshot.Resource, len(entries))
		addState(snap, entries, r)
		snap.Sensitive = r.marks.Len()
		return snap
	}, nil
}

// stateEntry is one managed resource of a state JSON (or a plan's
// prior_state), decoded but not yet redacted.
type stateEntry struct {
	res *stateResource
	obj *decodedObject
}

// decodeState decodes the managed, current resources of a state's values and
// learns their sensitive values.
func decodeState(v *stateValues, r *redactor) ([]stateEntry, error) {
	if v == nil {
		return nil, nil
	}
	for name, o := range v.Outputs {
		r.collectNamed(outputType, name, o.Value, o.Sensitive)
	}
	all := flattenModules(v.RootModule, nil)
	out := make([]stateEntry, 0, len(all))
	for i := range all {
		sr := &all[i]
		obj, err := decodeObject(sr.Values, sr.SensitiveValues, nil)
		if err != nil {
			return nil, fmt.Errorf("resource %s: %w", sr.Address, err)
		}
		if sr.Mode == "data" || sr.DeposedKey != "" {
			// Not compared, but what they mark is as secret as any other
			// mark: a data source's secret is copied into managed resources.
			r.collectObject(objectType(sr.Mode, sr.Type), sr.Name, obj)
			continue
		}
		if obj == nil {
			obj = &decodedObject{values: map[string]any{}}
		}
		r.collectObject(sr.Type, sr.Name, obj)
		out = append(out, stateEntry{sr, obj})
	}
	return out, nil
}

// addState adds decoded state entries to the snapshot, redacted; for a
// state, the object after apply is the object now.
func addState(snap *snapshot.Snapshot, entries []stateEntry, r *redactor) {
	for _, e := range entries {
		obj := r.object(e.obj)
		snap.Resources[e.res.Address] = &snapshot.Resource{
			Address: e.res.Address, Module: moduleOf(e.res.Address), Type: e.res.Type, Name: e.res.Name,
			Now: obj, After: obj, Tainted: e.res.Tainted,
		}
	}
}

func flattenModules(m *stateModule, out []stateResource) []stateResource {
	if m == nil {
		return out
	}
	for _, r := range m.Resources {
		r.Address = absoluteAddress(m.Address, &r)
		out = append(out, r)
	}
	for _, c := range m.ChildModules {
		out = flattenModules(c, out)
	}
	return out
}

// absoluteAddress repairs the addresses of Terraform 0.12's state JSON, which
// are relative to their module and lack the instance key (given in "index"
// instead), so that count and for_each instances and same-named resources of
// different modules do not collapse into one.
func absoluteAddress(module string, r *stateResource) string {
	addr := r.Address
	if module != "" && !strings.HasPrefix(addr, module+".") {
		addr = module + "." + addr
	}
	if r.Index != nil && !strings.HasSuffix(addr, "]") {
		switch k := r.Index.(type) {
		case json.Number:
			addr += "[" + k.String() + "]"
		case float64:
			addr += "[" + strconv.FormatInt(int64(k), 10) + "]"
		case string:
			addr += "[" + strconv.Quote(k) + "]"
		}
	}
	return addr
}

func (d *document) rawSnapshot(r *redactor) (func() *snapshot.Snapshot, error) {
	snap := &snapshot.Snapshot{Kind: snapshot.KindRawState, FormatVersion: "4", TerraformVersion: d.TerraformVersion}
	type inst struct {
		res  *rawResource
		inst *rawInstance
		obj  *decodedObject
		addr string
	}
	var insts []inst
	for i := range d.Resources {
		rr := &d.Resources[i]
		if rr.Type == "" || rr.Name == "" {
			return nil, &InputError{Problem: fmt.Sprintf("resources[%d] has no type or name", i)}
		}
		for j := range rr.Instances {
			ri := &rr.Instances[j]
			v, err := decodeValue(ri.RawAttributes)
			if err != nil {
				return nil, &InputError{Problem: fmt.Sprintf("resources[%d].instances[%d].attributes (%s): %v", i, j, rawName(rr), err)}
			}
			if v != nil {
				m, ok := v.(map[string]any)
				if !ok {
					return nil, &InputError{Problem: fmt.Sprintf("resources[%d].instances[%d].attributes (%s) should be an object, found %s", i, j, rawName(rr), jsonKind(v))}
				}
				ri.Attributes = m
			}
			if ri.Attributes == nil && ri.AttributesFlat != nil {
				ri.Attributes = make(map[string]any, len(ri.AttributesFlat))
				for k, v := range ri.AttributesFlat {
					ri.Attributes[k] = v
				}
			}
			unwrapDynamic(ri.Attributes)
			addr, err := rawAddress(rr, ri)
			if err != nil {
				return nil, &InputError{Problem: fmt.Sprintf("resources[%d].instances[%d]: %v", i, j, err)}
			}
			mask, err := maskFromPaths(ri.SensitiveAttributes)
			if err != nil {
				return nil, &InputError{Problem: fmt.Sprintf("resources[%d].instances[%d].sensitive_attributes (%s): %v", i, j, rawName(rr), err), Hint: regenerate}
			}
			insts = append(insts, inst{rr, ri, &decodedObject{values: ri.Attributes, mask: mask}, addr})
		}
	}
	for name, o := range d.Outputs {
		r.collectNamed(outputType, name, o.Value, o.Sensitive)
	}
	for _, in := range insts {
		r.collectObject(objectType(in.res.Mode, in.res.Type), in.res.Name, in.obj)
	}
	return func() *snapshot.Snapshot {
		snap.Resources = make(map[string]*snapshot.Resource, len(insts))
		for _, in := range insts {
			if in.res.Mode == "data" || in.inst.Deposed != "" {
				continue
			}
			values, hidden := r.redactObject(in.obj)
			obj := &snapshot.Object{Values: values, Sensitive: hidden}
			snap.Resources[in.addr] = &snapshot.Resource{
				Address: in.addr, Module: in.res.Module, Type: in.res.Type, Name: in.res.Name,
				Now: obj, After: obj, Tainted: in.inst.Status == "tainted",
			}
		}
		snap.Sensitive = r.marks.Len()
		return snap
	}, nil
}

func rawAddress(rr *rawResource, ri *rawInstance) (string, error) {
	var b strings.Builder
	if rr.Module != "" {
		b.WriteString(rr.Module)
		b.WriteByte('.')
	}
	if rr.Mode == "data" {
		b.WriteString("data.")
	}
	b.WriteString(rr.Type)
	b.WriteByte('.')
	b.WriteString(rr.Name)
	switch k := ri.IndexKey.(type) {
	case nil:
	case float64:
		if k != float64(int64(k)) {
			return "", fmt.Errorf("index_key is a number but not a whole number")
		}
		b.WriteString("[" + strconv.FormatInt(int64(k), 10) + "]")
	case json.Number:
		n, err := strconv.ParseInt(k.String(), 10, 64)
		if err != nil {
			return "", fmt.Errorf("index_key is a number but not a whole number")
		}
		b.WriteString("[" + strconv.FormatInt(n, 10) + "]")
	case string:
		b.WriteString("[" + strconv.Quote(k) + "]")
	default:
		return "", fmt.Errorf("index_key must be a number or a string")
	}
	return b.String(), nil
}

// moduleOf returns the module part of an absolute resource address: every
// leading "module.NAME[KEY]" pair.
func moduleOf(addr string) string {
	rest, mod := addr, ""
	for strings.HasPrefix(rest, "module.") {
		end := stepEnd(rest, len("module."))
		if mod != "" {
			mod += "."
		}
		mod += rest[:end]
		if end >= len(rest) {
			break
		}
		rest = rest[end+1:]
	}
	return mod
}

// stepEnd returns the index of the '.' that ends the step starting at from.
func stepEnd(s string, from int) int {
	depth := 0
	for i := from; i < len(s); i++ {
		switch s[i] {
		case '[':
			depth++
		case ']':
			depth--
		case '"':
			for i++; i < len(s) && s[i] != '"'; i++ {
				if s[i] == '\\' {
					i++
				}
			}
		case '.':
			if depth == 0 {
				return i
			}
		}
	}
	return len(s)
}

// unwrapDynamic replaces raw state's {"value": v, "type": T} wrappers of
// dynamically typed attributes (terraform_data's input and output) with v, so
// raw state compares equal to `terraform show -json`. Without provider
// schemas the wrapper is recognised by shape: exactly the keys value and
// type, with type a valid cty type.
func unwrapDynamic(attrs map[string]any) {
	for k, v := range attrs {
		attrs[k] = unwrapValue(v)
	}
}

func unwrapValue(v any) any {
	switch t := v.(type) {
	case map[string]any:
		if len(t) == 2 {
			if typ, ok := t["type"]; ok {
				if inner, ok := t["value"]; ok && isCtyType(typ) {
					return inner
				}
			}
		}
		return t
	}
	return v
}

func isCtyType(t any) bool {
	switch v := t.(type) {
	case string:
		switch v {
		case "string", "number", "bool", "dynamic":
			return true
		}
	case []any:
		if len(v) == 0 {
			return false
		}
		kind, _ := v[0].(string)
		switch kind {
		case "list", "set", "map":
			return len(v) == 2 && isCtyType(v[1])
		case "object":
			if len(v) < 2 {
				return false
			}
			_, ok := v[1].(map[string]any)
			return ok
		case "tuple":
			if len(v) != 2 {
				return false
			}
			_, ok := v[1].([]any)
			return ok
		}
	}
	return false
}

// maskFromPaths turns raw state's sensitive_attributes (lists of cty path
// steps) into the nested mask shape that plan and state JSON use.
// A step it cannot read is an error: dropping it would print the value it
// marks.
func maskFromPaths(paths []rawPath) (any, error) {
	if len(paths) == 0 {
		return nil, nil
	}
	root := map[string]any{}
	for _, p := range paths {
		if len(p) == 0 {
			return true, nil
		}
		node := root
		for i, step := range p {
			key, err := stepKey(step)
			if errors.Is(err, errNullIndex) {
				break
			}
			if err != nil {
				return nil, err
			}
			if i == len(p)-1 {
				node[key] = true
				break
			}
			next, ok := node[key].(map[string]any)
			if !ok {
				if node[key] == true {
					break
				}
				next = map[string]any{}
				node[key] = next
			}
			node = next
		}
	}
	return root, nil
}

// errNullIndex is an index step without a value. Its path is ignored, as
// before these steps were checked (TestRawStateSensitivePaths keeps that
// contract): no value can be indexed by null.
var errNullIndex = errors.New("an index step without a value")

// stepKey returns the attribute name or index of one cty path step:
// get_attr names an attribute, index a map key or list index (a typed
// value, {"value": ..., "type": ...}).
func stepKey(s rawStep) (string, error) {
	var v any
	if err := json.Unmarshal(s.Value, &v); err != nil {
		return "", fmt.Errorf("a %s step's value is not JSON", strconv.Quote(s.Type))
	}
	switch s.Type {
	case "get_attr":
		if k, ok := v.(string); ok {
			return k, nil
		}
	case "index":
		if m, ok := v.(map[string]any); ok {
			v = m["value"]
		}
		switch k := v.(type) {
		case nil:
			return "", errNullIndex
		case string:
			return k, nil
		case float64:
			if k == float64(int64(k)) {
				return strconv.FormatInt(int64(k), 10), nil
			}
		}
	default:
		return "", fmt.Errorf("a path step has the type %s, which Terraform never writes (get_attr and index)", strconv.Quote(s.Type))
	}
	return "", fmt.Errorf("a %s step's value is %s", s.Type, jsonKind(v))
}

// jsonKind names a decoded JSON value's type, never the value itself.
func jsonKind(v any) string {
	switch v.(type) {
	case string:
		return "a string"
	case json.Number, float64:
		return "a number"
	case bool:
		return "a boolean"
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return "null"
}
