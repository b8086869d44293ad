package policy

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/lockstep-iac/lockstep/parity"
)

// InputVersion is the version of the input document the rules receive.
const InputVersion = 1

// Input is the document rules see as `input`.
type Input struct {
	Version int `json:"version"`
	*parity.Facts
}

// NewInput converts facts into the OPA value passed to every rule. Doing it
// once, rather than per query, is what OPA's own performance guide and our
// measurements (about 10x per evaluation) call for.
func NewInput(f *parity.Facts) (ast.Value, error) {
	b, err := json.Marshal(Input{Version: InputVersion, Facts: f})
	if err != nil {
		return nil, fmt.Errorf("encode policy input: %w", err)
	}
	v, err := ast.ValueFromReader(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("convert policy input: %w", err)
	}
	return v, nil
}
