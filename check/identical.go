package check

import (
	"fmt"

	"github.com/lockstep-iac/lockstep/snapshot"
)

// IdenticalInputsError is two environments whose inputs are byte for byte
// the same (one SHA-256): almost always a pipeline that wrote or passed one
// environment's plan for another, which would otherwise pass as "in
// parity". Options.AllowIdenticalInputs accepts it.
type IdenticalInputsError struct {
	First, Second Input
	SHA256        string
}

func (e *IdenticalInputsError) Error() string {
	return fmt.Sprintf("environments %s (%s) and %s (%s) have identical inputs (sha256 %s): comparing them proves nothing; give each environment its own plan or state, or set Options.AllowIdenticalInputs when this is deliberate",
		e.First.Name, e.First.Path, e.Second.Name, e.Second.Path, e.SHA256)
}

// checkIdentical refuses two environments read from byte-identical inputs,
// the first pair in promotion order. Inputs without a digest (none today)
// are not compared.
func checkIdentical(inputs []Input, snaps []*snapshot.Snapshot) error {
	first := map[string]int{}
	for i, s := range snaps {
		if s == nil || s.SHA256 == "" {
			continue
		}
		if j, ok := first[s.SHA256]; ok {
			return &IdenticalInputsError{First: inputs[j], Second: inputs[i], SHA256: s.SHA256}
		}
		first[s.SHA256] = i
	}
	return nil
}
