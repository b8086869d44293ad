package output

import (
	"bytes"
	"encoding/json"
	"io"

	"github.com/lockstep-iac/lockstep/report"
)

// JSON renders the report contract documented in DESIGN.md.
type JSON struct{}

// Format writes the report as indented JSON. Values are exact: the
// report is data, and its consumers compare them. Characters a terminal
// would act on are spelled as JSON \u escapes (jsonSafe), so the file is
// safe to cat and decodes to the same values.
func (JSON) Format(w io.Writer, r *report.Report) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(r); err != nil {
		return err
	}
	_, err := w.Write(jsonSafe(buf.Bytes()))
	return err
}
