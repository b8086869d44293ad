package parser

import (
	"fmt"

	"github.com/hashicorp/go-version"
	tfjson "github.com/hashicorp/terraform-json"

	"github.com/lockstep-iac/lockstep/snapshot"
)

var (
	planFormats  = version.MustConstraints(version.NewConstraint(tfjson.PlanFormatVersionConstraints))
	stateFormats = version.MustConstraints(version.NewConstraint(tfjson.StateFormatVersionConstraints))
)

func (d *document) isPlan() bool {
	return d.ResourceChanges != nil || d.PriorState != nil || d.PlannedValues.present ||
		d.ResourceDrift != nil || d.Configuration != nil || d.Variables != nil ||
		d.OutputChanges != nil || d.Errored != nil || d.Applyable != nil
}

// inputKind is which of the three shapes a document is.
type inputKind int

const (
	kindPlan inputKind = iota + 1
	kindState
	kindRawState
)

// buildFunc builds a snapshot once every input's marks are known.
type buildFunc = func() *snapshot.Snapshot

// kind tells which shape the document is, and refuses one lockstep cannot
// read (an unsupported format, an errored plan, an old raw state).
func (d *document) kind() (inputKind, error) {
	switch {
	case d.FormatVersion != nil && d.isPlan():
		if err := checkFormat("plan", *d.FormatVersion, planFormats); err != nil {
			return 0, err
		}
		if d.Errored != nil && *d.Errored {
			return 0, &InputError{Problem: "the plan errored (\"errored\": true): Terraform could not finish planning, so it says nothing reliable about this environment", Hint: "fix the errors `terraform plan` reported and plan again"}
		}
		return kindPlan, nil
	case d.FormatVersion != nil:
		if err := checkFormat("state", *d.FormatVersion, stateFormats); err != nil {
			return 0, err
		}
		return kindState, nil
	case d.Version != nil:
		v, err := d.Version.Int64()
		switch {
		case err != nil:
			return 0, &InputError{Problem: "raw state \"version\" is not a whole number"}
		case v < 4:
			return 0, &InputError{Problem: fmt.Sprintf("raw state version %d is too old (lockstep reads version 4, written by Terraform 0.12 and later)", v), Hint: "upgrade it with Terraform >= 0.12 (`terraform init` then `terraform state pull`) or pass `terraform show -json` output"}
		case v > 4:
			return 0, &InputError{Problem: fmt.Sprintf("raw state version %d is newer than lockstep understands (4)", v), Hint: "pass `terraform show -json` output instead, or upgrade lockstep"}
		}
		return kindRawState, nil
	case d.encryptedState():
		return 0, d.encryptedError()
	case bool(d.Modules):
		return 0, &InputError{Problem: "raw state without a version (legacy \"modules\" layout, Terraform 0.11 or older)", Hint: "upgrade it with Terraform >= 0.12"}
	}
	return 0, &InputError{Problem: "neither a Terraform plan nor a state: no \"format_version\" (plan or state JSON) and no \"version\" (raw state)", Hint: "produce it with `terraform show -json plan.out`, `terraform show -json` or `terraform state pull`"}
}

// snapshot decodes the document and learns its marks (the collect phase);
// the function it returns builds the snapshot, redacted with r's marks.
func (d *document) snapshot(r *redactor) (buildFunc, error) {
	k, err := d.kind()
	if err != nil {
		return nil, err
	}
	switch k {
	case kindPlan:
		return d.planSnapshot(r)
	case kindState:
		return d.stateSnapshot(r)
	}
	return d.rawSnapshot(r)
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
