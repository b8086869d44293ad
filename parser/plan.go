package parser

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/lockstep-iac/lockstep/internal/sourceaddr"
	"github.com/lockstep-iac/lockstep/snapshot"
)

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
