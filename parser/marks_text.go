package parser

import (
	"slices"
	"strings"

	"github.com/lockstep-iac/lockstep/report"
)

// RedactText hides the run's secrets in a text that code outside lockstep
// made from an input as written, such as a per-environment policy's
// message or print() output, which can copy any value of a plan: a text
// that is a secret becomes report.SensitiveText, and every secret of at
// least minEmbedded characters (and its encoded copies, see variants)
// inside it is replaced by report.SensitiveText. These are the rules by
// which lockstep's own values are hidden, applied to free text.
func (m *Marks) RedactText(s string) string {
	if m == nil || s == "" {
		return s
	}
	if _, ok := m.values[s]; ok {
		return report.SensitiveText
	}
	if len(s) <= minEmbedded {
		return s
	}
	var found []string
	for _, k := range m.long {
		if strings.Contains(s, k.s) {
			found = append(found, k.s)
		}
	}
	// Longest first: a secret that holds a shorter one must not be left
	// half shown.
	slices.SortFunc(found, func(a, b string) int { return len(b) - len(a) })
	for _, f := range found {
		s = strings.ReplaceAll(s, f, report.SensitiveText)
	}
	return s
}
