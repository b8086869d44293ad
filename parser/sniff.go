package parser

import (
	"bytes"
	"fmt"

	"github.com/lockstep-iac/lockstep/internal/readfile"
)

// largeFile is the size from which an input's first bytes are checked
// before the whole file is read: reading a multi-gigabyte file of NUL bytes
// or a binary only to refuse it would take as much memory as a real plan.
const largeFile = 64 << 20

// wrongLargeFile refuses a large file whose first bytes show it is not a
// plan or state: a binary, a compressed file, or something that does not
// start a JSON object. Smaller files are judged after reading, by Decode,
// with the same messages.
func wrongLargeFile(path string) *InputError {
	fi, err := readfile.Stat(path)
	if err != nil || fi.Size() < largeFile {
		return nil // errors are reported by the full read
	}
	head, err := readfile.Head(path, 64<<10)
	if err != nil {
		return nil
	}
	if ie := wrongFile(path, head); ie != nil {
		return ie
	}
	t := bytes.TrimLeft(head, " \t\r\n")
	for _, bom := range [][]byte{{0xef, 0xbb, 0xbf}, {0xff, 0xfe}, {0xfe, 0xff}} {
		if bytes.HasPrefix(t, bom) {
			return nil // UTF-8 or UTF-16 with a byte order mark: decoded in full
		}
	}
	if len(t) == 0 || t[0] == '{' || (len(t) > 1 && (t[0] == 0 && t[1] == '{' || t[0] == '{' && t[1] == 0)) {
		return nil
	}
	return &InputError{File: path, Problem: fmt.Sprintf("malformed JSON: not a JSON object (byte %d is 0x%02x)", len(head)-len(t), t[0]),
		Hint: jsonHint(head)}
}

// wrongFile recognises, from its first bytes, a file that is not JSON at all
// but something users often pass by mistake, and says what to do instead.
// It is cheap: it looks at a prefix only.
func wrongFile(name string, data []byte) *InputError {
	switch {
	case bytes.HasPrefix(data, []byte("PK\x03\x04")):
		return &InputError{File: name, Problem: "this is a binary plan file (what `terraform plan -out` writes), not JSON",
			Hint: "run `terraform show -json " + name + " > plan.json` and pass plan.json"}
	case bytes.HasPrefix(data, []byte{0x1f, 0x8b}):
		return &InputError{File: name, Problem: "the file is gzip-compressed", Hint: "decompress it first (gunzip)"}
	case bytes.HasPrefix(data, []byte{0x28, 0xb5, 0x2f, 0xfd}):
		return &InputError{File: name, Problem: "the file is zstd-compressed", Hint: "decompress it first (zstd -d)"}
	case bytes.HasPrefix(data, []byte("\xfd7zXZ\x00")):
		return &InputError{File: name, Problem: "the file is xz-compressed", Hint: "decompress it first (xz -d)"}
	case bytes.HasPrefix(data, []byte("BZh")) && len(data) > 3 && data[3] >= '1' && data[3] <= '9':
		return &InputError{File: name, Problem: "the file is bzip2-compressed", Hint: "decompress it first (bunzip2)"}
	case bytes.HasPrefix(data, []byte("\x7fELF")):
		return &InputError{File: name, Problem: "the file is an executable, not JSON", Hint: "pass the output of `terraform show -json`"}
	}
	if looksLikeHCL(data) {
		return &InputError{File: name, Problem: "this looks like Terraform configuration (HCL), not JSON",
			Hint: "lockstep reads plans and states: run `terraform plan -out plan.out && terraform show -json plan.out > plan.json`; give .tf directories with --source and lockstep.hcl with --config"}
	}
	return nil
}

// hclWords start the top-level blocks of .tf files, lock files and
// lockstep.hcl.
var hclWords = []string{"terraform", "resource", "data", "provider", "variable", "output", "module", "locals",
	"moved", "import", "check", "removed", "environment", "expect_difference", "only_in", "waiver", "promotion", "rule"}

// looksLikeHCL reports whether the first non-blank, non-comment line of data
// starts an HCL block or attribute that lockstep's other inputs use.
func looksLikeHCL(data []byte) bool {
	rest := data[:min(len(data), 64<<10)]
	for len(rest) > 0 {
		line := rest
		if i := bytes.IndexByte(rest, '\n'); i >= 0 {
			line, rest = rest[:i], rest[i+1:]
		} else {
			rest = nil
		}
		line = bytes.TrimSpace(line)
		switch {
		case len(line) == 0, line[0] == '#', bytes.HasPrefix(line, []byte("//")), bytes.HasPrefix(line, []byte("/*")):
			continue
		}
		for _, w := range hclWords {
			if after, ok := bytes.CutPrefix(line, []byte(w)); ok {
				after = bytes.TrimLeft(after, " \t")
				return len(after) > 0 && (after[0] == '"' || after[0] == '{' || after[0] == '=')
			}
		}
		return false
	}
	return false
}

// encryptedState recognises OpenTofu's client-side encryption (1.7+, the
// `encryption` block) by its shape: {"encrypted_data", "meta", ...} with no
// "version". Nothing in it can be read without the key, and the key is the
// user's: lockstep never asks for one, so it says how to get the file
// decrypted instead.
func (d *document) encryptedState() bool {
	return bool(d.EncryptedData) && bool(d.Meta)
}

// encryptedError says how to read an encrypted file. A state keeps its
// lineage in clear beside the encrypted data; a plan file (`tofu plan -out`
// with a plan method) has none. It is fresh per call: named gives it the
// file's name.
func (d *document) encryptedError() *InputError {
	if d.Lineage == "" {
		return &InputError{Problem: "this is an encrypted OpenTofu plan file (what `tofu plan -out` writes with plan encryption), not plan JSON",
			Hint: "run `tofu show -json` on it where its encryption is configured and pass that output, or let lockstep plan (`--env NAME=DIR --plan`)"}
	}
	return &InputError{Problem: "this is an encrypted OpenTofu state",
		Hint: "read it through its working directory (`--env NAME=DIR`, which runs `tofu state pull` and decrypts with the configured key) or give the output of `tofu state pull`"}
}
