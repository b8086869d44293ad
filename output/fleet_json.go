package output

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"

	"github.com/lockstep-iac/lockstep/evidence"
)

// EvidenceJSON is the evidence document of `lockstep report` as it is
// written and digested: indented, exact, with the characters a terminal
// would act on spelled as JSON \u escapes, like the check's JSON. Struct
// fields keep their order and maps are sorted by key, so the same document
// gives the same bytes.
func EvidenceJSON(d *evidence.Document) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(d); err != nil {
		return nil, err
	}
	return jsonSafe(buf.Bytes()), nil
}

// Digest is the sha256 of the evidence JSON, in hex: what FILE.sha256
// holds and the HTML and Markdown footers print.
func Digest(evidenceJSON []byte) string {
	sum := sha256.Sum256(evidenceJSON)
	return hex.EncodeToString(sum[:])
}
