package ruledoc

import (
	"encoding/json"
	"io"

	"github.com/lockstep-iac/lockstep/policy"
)

// JSON renders {"rules": [...]}, an object rather than a bare array so that
// fields about the list as a whole can be added later without breaking
// readers.
type JSON struct{}

// Format writes the rules as indented JSON.
func (JSON) Format(w io.Writer, rules []policy.Rule) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(struct {
		Rules []policy.Rule `json:"rules"`
	}{sorted(rules)})
}
