package workdir

import (
	"bytes"
	"fmt"

	"github.com/go-json-experiment/json/jsontext"
)

// Provenance is how an environment was read, for the report: enough to
// find the same state again and to tell a stale read from a fresh one.
type Provenance struct {
	// Kind is "workspace" for a named workspace of a directory,
	// "directory" for a directory's default workspace (one directory per
	// environment).
	Kind      string
	Dir       string
	Workspace string
	// Backend is the backend's type ("local", "s3", "pg", "cloud", ...).
	Backend string
	// Via is what was run or read: "terraform state pull", "tofu plan",
	// or "state file" for a local backend read without Terraform.
	Via string
	// StateFile is the file read without Terraform.
	StateFile string
	// Terraform is the binary's version; empty when none was run.
	Terraform string
	// Tool is which tool ran, snapshot.ToolOpenTofu or ToolTerraform, told
	// by the binary's name (for a local state file read directly, the
	// binary that would have pulled it); empty when there is none or the
	// name does not say.
	Tool string
	// Serial and Lineage identify the state (for a plan, the state it
	// was planned from); HasSerial is false when the state had none.
	Serial    uint64
	HasSerial bool
	Lineage   string
	// PlanSHA256 is the hex digest of the binary plan file, for plans.
	PlanSHA256 string
}

func kindOf(workspace string) string {
	if workspace == defaultWorkspace {
		return "directory"
	}
	return "workspace"
}

// DisplayName is the name the parser's errors give the input, saying where
// it came from: "staging (workspace staging of infra/)".
func DisplayName(env string, p Provenance) string {
	what := "workspace " + p.Workspace + " of " + p.Dir
	if p.Kind == "directory" {
		what = "directory " + p.Dir
	}
	if p.PlanSHA256 != "" {
		what = "plan of " + what
	}
	return fmt.Sprintf("%s (%s)", env, what)
}

// stateIdentity reads the serial and lineage of a raw state without
// decoding the rest: Terraform writes them before the resources, so the
// scan stops after a few tokens. A state that is not what it should be is
// left for the parser to report; here it only has no identity.
func stateIdentity(p *Provenance, data []byte) {
	found := 0
	eachTopMember(data, func(name string, dec *jsontext.Decoder) (read, stop bool) {
		switch name {
		case "serial":
			tok, err := dec.ReadToken()
			if err != nil || tok.Kind() != '0' {
				return true, true
			}
			if n, err := tok.Uint(); err == nil {
				p.Serial, p.HasSerial = n, true
			}
		case "lineage":
			tok, err := dec.ReadToken()
			if err != nil || tok.Kind() != '"' {
				return true, true
			}
			p.Lineage = tok.String()
		default:
			return false, false
		}
		found++
		return true, found == 2
	})
}

// encrypted reports whether a state file is OpenTofu's client-side
// encrypted form, {"encrypted_data": ..., "meta": ...}: a top-level
// "encrypted_data" member, looked for without decoding the rest. A file
// without the name anywhere is not (the common case, settled by one
// search instead of a walk of every member of a large state, which cost
// as much as decoding it).
func encrypted(data []byte) bool {
	if !bytes.Contains(data, []byte(`"encrypted_data"`)) {
		return false
	}
	is := false
	eachTopMember(data, func(name string, _ *jsontext.Decoder) (read, stop bool) {
		is = name == "encrypted_data"
		return false, is
	})
	return is
}

// currentFormat reports whether a state file is of format version 4, the
// one Terraform 0.12 and later write and `state pull` prints unchanged.
// Terraform writes "version" first; a file that puts anything large
// before it, or is not JSON at all, is left to Terraform (false).
func currentFormat(data []byte) bool {
	is := false
	eachTopMember(data, func(name string, dec *jsontext.Decoder) (read, stop bool) {
		switch name {
		case "version":
			tok, err := dec.ReadToken()
			if err == nil && tok.Kind() == '0' {
				n, err := tok.Uint()
				is = err == nil && n == 4
			}
			return true, true
		case "resources", "outputs", "modules", "check_results":
			return false, true
		}
		return false, false
	})
	return is
}

// headSettles reports whether the head of a state file holds, whole, every
// top-level member before "resources", and that name: whatever encrypted,
// currentFormat and stateIdentity read of it then, they read of the whole
// file. A head cut inside a member before (large outputs, or members in an
// order Terraform does not write) does not.
func headSettles(head []byte) bool {
	settled := false
	eachTopMember(head, func(name string, _ *jsontext.Decoder) (read, stop bool) {
		settled = name == "resources"
		return false, settled
	})
	return settled
}

// eachTopMember calls visit with the name of each member of the top-level
// object in turn, the decoder at its value, until visit says stop; a value
// visit did not read is skipped. What is not a JSON object, or stops being
// one, ends the walk: the parser words that error. Names are not checked
// for duplicates here, for the same reason.
func eachTopMember(data []byte, visit func(name string, dec *jsontext.Decoder) (read, stop bool)) {
	dec := jsontext.NewDecoder(bytes.NewReader(data), jsontext.AllowDuplicateNames(true))
	if tok, err := dec.ReadToken(); err != nil || tok.Kind() != '{' {
		return
	}
	for dec.PeekKind() == '"' {
		name, err := dec.ReadToken()
		if err != nil {
			return
		}
		read, stop := visit(name.String(), dec)
		if stop {
			return
		}
		if !read {
			if err := dec.SkipValue(); err != nil {
				return
			}
		}
	}
}
