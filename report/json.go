package report

import (
	"encoding/json"
	"io"
)

// JSON renders the report contract documented in DESIGN.md.
type JSON struct{}

// Format writes the report as indented JSON.
func (JSON) Format(w io.Writer, r *Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(r)
}
