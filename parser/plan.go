package parser

import (
	"bytes"
	"encoding/json"
	"fmt"
	"hash/maphash"

	"github.com/lockstep-iac/lockstep/internal/sourceaddr"
	"github.com/lockstep-iac/lockstep/snapshot"
)

func (d *document) planSnapshot(r *redactor) (func() *snapshot.Snapshot, error) {
	b := newPlanBuilder(d, r)
	if d.PriorState != nil && d.PriorState.Values != nil {
		r.stateOutputs(d.PriorState.Values.Outputs)
		for _, sr := range flattenModules(d.PriorState.Values.RootModule, nil) {
			if err := b.prior(&sr); err != nil {
				return nil, err
			}
		}
	}
	if d.ResourceChanges != nil {
		for i := range *d.ResourceChanges {
			if err := b.change(i, &(*d.ResourceChanges)[i]); err != nil {
				return nil, err
			}
		}
	}
	for i := range d.ResourceDrift {
		if err := b.drift(&d.ResourceDrift[i]); err != nil {
			return nil, err
		}
	}
	if v := d.PlannedValues.values; v != nil {
		b.plannedOutputs(v.Outputs)
		for _, sr := range flattenModules(v.RootModule, nil) {
			if err := b.planned(&sr); err != nil {
				return nil, err
			}
		}
	}
	return b.finish(d)
}

// planBuilder learns a plan's marks one entry at a time, prior_state's
// resources first, and then builds its snapshot. Both readers drive it:
// the streaming one (see stream.go) as it reads each entry, the fallback
// from a decoded document.
type planBuilder struct {
	r    *redactor
	snap *snapshot.Snapshot
	// learned holds prior_state's objects, whose marks are learned first,
	// by address: a no-op's change and planned_values repeat prior_state's
	// object byte for byte, and decoding it again would double the cost of
	// a large plan for nothing.
	learned         learnedObjects
	priors          []stateEntry
	changes, drifts []changeEntry
	// afters are the changes' after objects decoded, by address: a
	// create's or an update's planned_values entry repeats its after byte
	// for byte, and decoding it again was a fifth of reading a plan of
	// creates (see planned).
	afters map[string]seenAfter
}

// seenAfter stands for a change's after object and its marks.
type seenAfter struct{ values, mask digest }

type changeEntry struct {
	rc            *resourceChange
	before, after *decodedObject
}

func newPlanBuilder(d *document, r *redactor) *planBuilder {
	return &planBuilder{r: r, learned: learnedObjects{}, afters: map[string]seenAfter{},
		snap: &snapshot.Snapshot{Kind: snapshot.KindPlan, FormatVersion: *d.FormatVersion, TerraformVersion: d.TerraformVersion}}
}

// prior adds one resource of prior_state.
func (b *planBuilder) prior(sr *stateResource) error {
	e, err := b.r.stateResource(sr)
	if err != nil {
		return fmt.Errorf("prior_state: %w", err)
	}
	if e.res != nil {
		b.priors = append(b.priors, e)
		b.learned[e.res.Address] = e
	}
	return nil
}

// change adds resource_changes[i]. Its raw values are not kept.
func (b *planBuilder) change(i int, rc *resourceChange) error {
	r := b.r
	if rc.Mode == "data" || rc.Deposed != "" {
		if err := r.learnChange(rc); err != nil {
			return fmt.Errorf("resource_changes %s: %w", rc.Address, err)
		}
		return nil
	}
	if rc.Change == nil || rc.Address == "" {
		return &InputError{Problem: fmt.Sprintf("resource_changes[%d] has no address or no change", i)}
	}
	ce := changeEntry{rc: slim(rc)}
	noop := len(rc.Change.Actions) == 1 && rc.Change.Actions[0] == "no-op"
	_, inPrior := b.learned[rc.Address]
	if !inPrior {
		before, err := rc.Change.values(0)
		if err != nil {
			return err
		}
		if ce.before, err = r.decodeObject(before, rc.Change.BeforeSensitive, nil); err != nil {
			return fmt.Errorf("resource_changes %s: %w", rc.Address, err)
		}
		r.collectObject(rc.Type, rc.Name, ce.before)
	} else if err := r.learnMarked(rc, 0, rc.Change.BeforeSensitive, b.learned); err != nil {
		return fmt.Errorf("resource_changes %s: %w", rc.Address, err)
	}
	// A no-op leaves the object as it is now; its after is prior_state's.
	if !(noop && inPrior) && !deletes(rc.Change.Actions) {
		after, err := rc.Change.values(1)
		if err != nil {
			return err
		}
		if ce.after, err = r.decodeObject(after, rc.Change.AfterSensitive, rc.Change.AfterUnknown); err != nil {
			return fmt.Errorf("resource_changes %s: %w", rc.Address, err)
		}
		r.collectObject(rc.Type, rc.Name, ce.after)
		b.afters[rc.Address] = seenAfter{rc.Change.digest(1), digestOf(rc.Change.AfterSensitive)}
	} else if err := r.learnMarked(rc, 1, rc.Change.AfterSensitive, b.learned); err != nil {
		return fmt.Errorf("resource_changes %s: %w", rc.Address, err)
	}
	b.changes = append(b.changes, ce)
	return nil
}

// slim copies what building the snapshot needs of a change: not its raw
// values, which may live in a reused buffer.
func slim(rc *resourceChange) *resourceChange {
	out := *rc
	if rc.Change != nil {
		out.Change = &change{Actions: rc.Change.Actions}
	}
	return &out
}

// drift adds one entry of resource_drift.
func (b *planBuilder) drift(rc *resourceChange) error {
	r := b.r
	if rc.Change == nil {
		return nil
	}
	if rc.Mode == "data" {
		if err := r.learnChange(rc); err != nil {
			return fmt.Errorf("resource_drift %s: %w", rc.Address, err)
		}
		return nil
	}
	var sides [2]*decodedObject
	for which, sensitive := range []json.RawMessage{rc.Change.BeforeSensitive, rc.Change.AfterSensitive} {
		values, err := rc.Change.values(which)
		if err == nil {
			sides[which], err = r.decodeObject(values, sensitive, nil)
		}
		if err != nil {
			return fmt.Errorf("resource_drift %s: %w", rc.Address, err)
		}
	}
	before, after := sides[0], sides[1]
	r.collectObject(rc.Type, rc.Name, before)
	r.collectObject(rc.Type, rc.Name, after)
	b.drifts = append(b.drifts, changeEntry{slim(rc), before, after})
	return nil
}

// plannedOutputs learns what planned_values' outputs mark.
func (b *planBuilder) plannedOutputs(outputs map[string]stateOutput) {
	for name, o := range outputs {
		if o.Sensitive {
			b.r.collectNamed(outputType, name, o.Value, true)
		}
	}
}

// planned learns what one resource of planned_values marks. Its objects
// are prior_state's and resource_changes' again: one that marks nothing,
// or that repeats the change's after or prior_state's object with marks
// they already cover, is neither decoded nor learned again, so large plans
// stay cheap.
func (b *planBuilder) planned(sr *stateResource) error {
	if trivialMask(sr.SensitiveValues) {
		return nil
	}
	sum := sr.digest()
	if a, ok := b.afters[sr.Address]; ok && a.values == sum && a.mask == digestOf(sr.SensitiveValues) {
		return nil
	}
	if b.learned.has(sr.Address, sum, sr.SensitiveValues, b.r.covers) {
		return nil
	}
	values, err := sr.values()
	if err != nil {
		return err
	}
	obj, err := b.r.decodeObject(values, sr.SensitiveValues, nil)
	if err != nil {
		return fmt.Errorf("planned_values: resource %s: %w", sr.Address, err)
	}
	b.r.collectObject(objectType(sr.Mode, sr.Type), sr.Name, obj)
	return nil
}

// finish learns what the document's small sections mark (output_changes,
// variables) and returns the function that builds the snapshot once every
// input's marks are known.
func (b *planBuilder) finish(d *document) (func() *snapshot.Snapshot, error) {
	r, snap := b.r, b.snap
	for name, oc := range d.OutputChanges {
		for _, pair := range [][2]json.RawMessage{{oc.Before, oc.BeforeSensitive}, {oc.After, oc.AfterSensitive}} {
			v, err := r.decodeValue(pair[0])
			if err != nil {
				return nil, fmt.Errorf("output_changes: %w", err)
			}
			m, err := r.decodeValue(pair[1])
			if err != nil {
				return nil, fmt.Errorf("output_changes: %w", err)
			}
			r.collectNamed(outputType, name, v, m)
		}
	}
	if d.Configuration != nil {
		snap.Modules = map[string]snapshot.ModuleCall{}
		addModuleCalls(snap.Modules, "", d.Configuration.RootModule.ModuleCalls)
		snap.Tool = ToolOf(d.Configuration.providerAddresses())
	}
	r.collectVariables(d)
	prior, changes, drift := b.priors, b.changes, b.drifts
	b.learned = nil

	// Once every input's marks are known: build resources, replacing
	// sensitive values as we go.
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
				res.After = &snapshot.Object{Values: new(snapshot.Attributes), Unknown: true}
			}
			if res.Now == nil && res.After == nil {
				delete(snap.Resources, rc.Address)
			}
		}
		for _, de := range drift {
			ch := &snapshot.Change{Address: de.rc.Address, Type: de.rc.Type, Actions: de.rc.Change.Actions}
			before, _ := r.redactObject(de.before)
			after, _ := r.redactObject(de.after)
			// Drift entries are few, and plain maps (snapshot.Change).
			ch.Before, _ = snapshot.Plain(before).(map[string]any)
			ch.After, _ = snapshot.Plain(after).(map[string]any)
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
	for which, sensitive := range []json.RawMessage{rc.Change.BeforeSensitive, rc.Change.AfterSensitive} {
		if err := r.learnSide(rc, which, sensitive); err != nil {
			return err
		}
	}
	return nil
}

// learnMarked learns what one side of a change marks when that side is
// not otherwise used (prior_state holds the object): Terraform writes marks
// in both places, and one may hold what the other lacks. Unmarked sides are
// not decoded, which keeps the no-ops of large plans cheap.
func (r *redactor) learnMarked(rc *resourceChange, which int, sensitive json.RawMessage, learned learnedObjects) error {
	if trivialMask(sensitive) || learned.has(rc.Address, rc.Change.digest(which), sensitive, r.covers) {
		return nil
	}
	return r.learnSide(rc, which, sensitive)
}

// learnSide decodes one side of a change (0 before, 1 after) under its
// marks and learns the secrets it holds.
func (r *redactor) learnSide(rc *resourceChange, which int, sensitive json.RawMessage) error {
	values, err := rc.Change.values(which)
	if err != nil {
		return err
	}
	o, err := r.decodeObject(values, sensitive, nil)
	if err != nil {
		return err
	}
	r.collectObject(objectType(rc.Mode, rc.Type), rc.Name, o)
	return nil
}

// learnedObjects maps an address to the object whose marks were learned
// there (prior_state's), decoded, with a digest of its raw values.
type learnedObjects map[string]stateEntry

// has reports whether the object at address, with these raw values and
// marks, teaches nothing new: the same values (byte for byte, as Terraform
// repeats them) under marks that prior_state's already cover. Only the
// small mask is decoded to tell, once per pair of masks (memo); the values
// never are.
func (l learnedObjects) has(address string, values digest, sensitive json.RawMessage, memo coverMemo) bool {
	p, ok := l[address]
	if !ok || p.obj == nil || p.res.sum != values {
		return false
	}
	prior := p.res.SensitiveValues
	if bytes.Equal(prior, sensitive) {
		return true
	}
	h := coverKey(prior, sensitive)
	if v, ok := memo[h]; ok && v.prior == string(prior) && v.mask == string(sensitive) {
		return v.covered
	}
	mask, err := decodeJSONValue(sensitive, nil)
	ok = err == nil && checkMask(mask, true) == nil && covered(mask, p.obj.mask)
	if len(memo) < maxInterned && len(prior)+len(sensitive) <= maxMemoMasks {
		memo[h] = coverVerdict{prior: string(prior), mask: string(sensitive), covered: ok}
	}
	return ok
}

// maxMemoMasks is the most bytes of masks a verdict is kept for: Terraform's
// masks are a few dozen bytes, and a copy of large ones (a hand-made input)
// would only add to what the input already costs.
const maxMemoMasks = 4096

// coverMemo holds has's verdicts by the pair of raw masks (prior_state's,
// the change's or planned_values'), which decide them: the same few pairs
// repeat for every resource of a type ({"user_data":true} and
// {"user_data":true,"tags":{}}), and decoding a mask per change and per
// planned resource was a fifth of the garbage of reading a large plan.
// Bounded as the interned keys are, and to small masks; a verdict is taken
// only for the very pair of masks it was made for.
type coverMemo map[uint64]coverVerdict

type coverVerdict struct {
	prior, mask string
	covered     bool
}

func coverKey(prior, mask []byte) uint64 {
	var h maphash.Hash
	h.SetSeed(sharedSeed)
	h.Write(prior)
	h.WriteByte(0)
	h.Write(mask)
	return h.Sum64()
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
