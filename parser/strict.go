package parser

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// strictNumber is a JSON number that must be written as a number:
// encoding/json's json.Number also takes a string holding one ("4"), which
// Terraform never writes and which lockstep must not guess about.
type strictNumber json.Number

var errNumberIsString = errors.New("is a string")

func (n *strictNumber) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		return errNumberIsString
	}
	var num json.Number
	if err := json.Unmarshal(b, &num); err != nil {
		return err
	}
	*n = strictNumber(num)
	return nil
}

// Int64 returns the number as an int64.
func (n strictNumber) Int64() (int64, error) { return json.Number(n).Int64() }

// knownActions are the plan actions Terraform writes (terraform-json's
// Action values).
var knownActions = map[string]bool{"no-op": true, "create": true, "read": true, "update": true, "delete": true, "forget": true}

// validate checks what encoding/json cannot: that every change's actions
// are ones lockstep knows. An action it does not know could mean anything,
// so it is an error rather than a guess.
func (d *document) validate() error {
	if d.ResourceChanges != nil {
		for i := range *d.ResourceChanges {
			if err := checkActions("resource_changes", i, &(*d.ResourceChanges)[i]); err != nil {
				return err
			}
		}
	}
	for i := range d.ResourceDrift {
		if err := checkActions("resource_drift", i, &d.ResourceDrift[i]); err != nil {
			return err
		}
	}
	return nil
}

// checkActions checks the actions of field[i].
func checkActions(field string, i int, rc *resourceChange) error {
	if rc.Change == nil {
		return nil
	}
	where := fmt.Sprintf("%s[%d]", field, i)
	if rc.Address != "" {
		where = field + " " + rc.Address
	}
	if len(rc.Change.Actions) == 0 {
		return &InputError{Problem: where + " has no actions", Hint: "produce the file with `terraform show -json`"}
	}
	for _, a := range rc.Change.Actions {
		if !knownActions[a] {
			return &InputError{Problem: fmt.Sprintf("%s has an unknown action (lockstep knows %s)", where, strings.Join(actionNames, ", ")),
				Hint: "produce the file with `terraform show -json`, or upgrade lockstep if a newer Terraform wrote it"}
		}
	}
	return nil
}

var actionNames = []string{"no-op", "create", "read", "update", "delete", "forget"}

// rawName names a raw state resource in errors, without its instance key:
// "module.app.aws_s3_bucket.logs".
func rawName(rr *rawResource) string {
	name := rr.Type + "." + rr.Name
	if rr.Mode == "data" {
		name = "data." + name
	}
	if rr.Module != "" {
		name = rr.Module + "." + name
	}
	return name
}
