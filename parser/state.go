package parser

import (
	"bytes"
	"fmt"

	"github.com/lockstep-iac/lockstep/snapshot"
)

func (d *document) stateSnapshot(r *redactor) (buildFunc, error) {
	entries, err := decodeState(d.Values, r)
	if err != nil {
		return nil, err
	}
	return d.stateBuild(entries, r), nil
}

// stateBuild returns the function that builds a state's snapshot from its
// decoded entries.
func (d *document) stateBuild(entries []stateEntry, r *redactor) buildFunc {
	snap := &snapshot.Snapshot{Kind: snapshot.KindState, FormatVersion: *d.FormatVersion, TerraformVersion: d.TerraformVersion,
		Tool: ToolOf(stateProviderAddresses(entries))}
	return func() *snapshot.Snapshot {
		snap.Resources = make(map[string]*snapshot.Resource, len(entries))
		addState(snap, entries, r)
		snap.Sensitive = r.marks.Len()
		return snap
	}
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
	r.stateOutputs(v.Outputs)
	all := flattenModules(v.RootModule, nil)
	out := make([]stateEntry, 0, len(all))
	for i := range all {
		e, err := r.stateResource(&all[i])
		if err != nil {
			return nil, err
		}
		if e.res != nil {
			out = append(out, e)
		}
	}
	return out, nil
}

// stateOutputs learns what a state's outputs mark.
func (r *redactor) stateOutputs(outputs map[string]stateOutput) {
	for name, o := range outputs {
		r.collectNamed(outputType, name, o.Value, o.Sensitive)
	}
}

// stateResource decodes one resource of a state's values and learns what
// it marks. It returns an empty entry for what is not compared (a data
// source, a deposed object). The entry keeps a digest of the raw values,
// not the values (see learnedObjects).
func (r *redactor) stateResource(sr *stateResource) (stateEntry, error) {
	obj, err := r.decodeObject(sr.Values, sr.SensitiveValues, nil)
	if err != nil {
		return stateEntry{}, fmt.Errorf("resource %s: %w", sr.Address, err)
	}
	if sr.Mode == "data" || sr.DeposedKey != "" {
		// Not compared, but what they mark is as secret as any other
		// mark: a data source's secret is copied into managed resources.
		r.collectObject(objectType(sr.Mode, sr.Type), sr.Name, obj)
		return stateEntry{}, nil
	}
	if obj == nil {
		obj = &decodedObject{values: new(snapshot.Attributes)}
	}
	r.collectObject(sr.Type, sr.Name, obj)
	// Kept in place, not copied: its readers make one per resource and
	// hold it no longer, and a copy per resource was a tenth of a large
	// plan's garbage.
	sr.sum, sr.Values = digestOf(sr.Values), nil
	sr.SensitiveValues = bytes.Clone(sr.SensitiveValues)
	return stateEntry{sr, obj}, nil
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
