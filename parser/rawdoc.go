package parser

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/lockstep-iac/lockstep/internal/jsonnum"
	"github.com/lockstep-iac/lockstep/internal/readfile"
)

// RawDocumentFile reads an input file that Decode has already accepted
// again, whole and as written, for the per-environment policies
// (--env-policy), which read the document conftest would give them rather
// than lockstep's. The file is decoded once, straight from disk into the
// values encoding/json gives (numbers as json.Number, exact), without
// holding its bytes; a number the policy engine cannot hold becomes its
// text (see jsonnum.RegoValue). UTF-16 with a byte order mark, which Decode
// accepts, is converted first.
func RawDocumentFile(path string, limit int64) (map[string]any, error) {
	if limit <= 0 {
		limit = readfile.InputLimit
	}
	f, _, err := readfile.Open(path, limit)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 1<<20)
	head, _ := br.Peek(3)
	switch {
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}), bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		data, err := io.ReadAll(io.LimitReader(br, limit+1))
		if err != nil {
			return nil, &InputError{File: path, Problem: err.Error()}
		}
		return RawDocument(path, data)
	case bytes.HasPrefix(head, []byte{0xEF, 0xBB, 0xBF}):
		_, _ = br.Discard(3)
	}
	return rawDecode(path, br)
}

// RawDocument is RawDocumentFile for an input held in memory (one read
// from a Terraform working directory).
func RawDocument(name string, data []byte) (map[string]any, error) {
	text, err := toUTF8(data)
	if err != nil {
		return nil, &InputError{File: name, Problem: err.Error()}
	}
	return rawDecode(name, bytes.NewReader(text))
}

func rawDecode(name string, r io.Reader) (map[string]any, error) {
	dec := json.NewDecoder(r)
	dec.UseNumber()
	var doc map[string]any
	if err := dec.Decode(&doc); err != nil {
		return nil, &InputError{File: name, Problem: fmt.Sprintf("reading it again for --env-policy: %v", err),
			Hint: "the file changed while lockstep read it; run again"}
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, &InputError{File: name, Problem: "reading it again for --env-policy: more than one JSON value",
			Hint: "the file changed while lockstep read it; run again"}
	}
	if doc == nil {
		return nil, &InputError{File: name, Problem: "reading it again for --env-policy: not a JSON object"}
	}
	if v, ok := jsonnum.RegoValue(doc).(map[string]any); ok {
		doc = v
	}
	return doc, nil
}
