// Package sarifschema validates SARIF logs against the official SARIF 2.1.0
// JSON schema, embedded here (see SOURCES.md for where it comes from). It
// exists for tests: GitHub code scanning rejects an upload that does not
// conform, and a user only finds out in CI, so every SARIF lockstep writes,
// in unit and scenario tests alike, goes through the same validator.
package sarifschema

import (
	"bytes"
	_ "embed"
	"fmt"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// URI is the schema's own id.
const URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

//go:embed sarif-schema-2.1.0.json
var schemaJSON []byte

var (
	once       sync.Once
	compiled   *jsonschema.Schema
	compileErr error
)

// Schema returns the compiled schema, with format assertions on (URIs,
// date-times), compiled once per process.
func Schema() (*jsonschema.Schema, error) {
	once.Do(func() {
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(schemaJSON))
		if err != nil {
			compileErr = fmt.Errorf("read the SARIF schema: %w", err)
			return
		}
		c := jsonschema.NewCompiler()
		c.AssertFormat()
		if err := c.AddResource(URI, doc); err != nil {
			compileErr = fmt.Errorf("add the SARIF schema: %w", err)
			return
		}
		if compiled, err = c.Compile(URI); err != nil {
			compileErr = fmt.Errorf("compile the SARIF schema: %w", err)
		}
	})
	return compiled, compileErr
}

// Validate checks one SARIF log.
func Validate(doc []byte) error {
	s, err := Schema()
	if err != nil {
		return err
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		return fmt.Errorf("SARIF output is not JSON: %w", err)
	}
	if err := s.Validate(inst); err != nil {
		return fmt.Errorf("SARIF output does not validate against the 2.1.0 schema:\n%w", err)
	}
	return nil
}
