// Package parser turns one environment's input file into a snapshot.Snapshot.
// It reads the three shapes Terraform users have on disk (plan JSON, state
// JSON from `terraform show -json`, and raw v4 state from `terraform state
// pull`), recognising them by content rather than by file name because CI
// pipelines name files every which way. Everything unreadable is reported as
// an *InputError naming the file, so the CLI can exit 2 instead of passing.
package parser

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/lockstep-iac/lockstep/internal/guard"
	"github.com/lockstep-iac/lockstep/internal/jsonkind"
	"github.com/lockstep-iac/lockstep/internal/readfile"
)

// Options control parsing.
type Options struct {
	// Key is the HMAC key for hashing sensitive values. All snapshots of one
	// run must share it so their hashes compare. Required.
	Key []byte
	// MaxInputSize bounds the size of a file ReadFile reads; zero means
	// readfile.InputLimit.
	MaxInputSize int64
	// EnvTokens are the environment names and aliases of the run, in lower
	// case: a sensitive string records which of them it holds
	// (snapshot.Sensitive.Tokens), since parity never sees its text.
	EnvTokens []string
}

// InputError is an input that cannot be read: the file, what is wrong, and
// what to do about it. It never contains a value from the file.
type InputError struct {
	File    string
	Problem string
	Hint    string
}

func (e *InputError) Error() string {
	if e.Hint == "" {
		return fmt.Sprintf("%s: %s", e.File, e.Problem)
	}
	return fmt.Sprintf("%s: %s; %s", e.File, e.Problem, e.Hint)
}

// DecodeFile reads and decodes one input file (see Decode): a regular
// file (after resolving symlinks) of at most opts.MaxInputSize bytes.
func DecodeFile(path string, opts Options) (*Decoded, error) {
	return DecodeFileAs(path, path, opts)
}

// DecodeFileAs is DecodeFile for a file read on behalf of an input named
// otherwise, name being used in errors and as the snapshot's source: the
// state file of a Terraform working directory's workspace, which package
// workdir leaves in place for the streaming reader rather than holding it.
func DecodeFileAs(name, path string, opts Options) (*Decoded, error) {
	limit := opts.MaxInputSize
	if limit <= 0 {
		limit = readfile.InputLimit
	}
	if len(opts.Key) > 0 {
		if d, err := decodeFileStream(path, limit, name, opts); err == nil {
			return d, nil
		}
	}
	if ie := wrongLargeFile(path); ie != nil {
		ie.File = name
		return nil, ie
	}
	data, err := readfile.Read(path, limit)
	if err != nil {
		var re *readfile.Error
		if !errors.As(err, &re) {
			return nil, &InputError{File: name, Problem: err.Error()}
		}
		ie := &InputError{File: name, Problem: re.Problem, Hint: re.Hint}
		switch {
		case errors.Is(err, readfile.ErrTooLarge):
			ie.Hint = "check that this is the intended file; if it is, raise the limit with --max-input-size"
		case ie.Hint == "":
			ie.Hint = "check the path given to --env"
		}
		return nil, ie
	}
	return decodeDocument(name, data, opts)
}

// decodeFileStream reads a file with the streaming reader (see stream.go),
// in place and within the limit.
func decodeFileStream(path string, limit int64, name string, opts Options) (*Decoded, error) {
	f, size, err := readfile.Open(path, limit)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return decodeStream(f, size, name, opts)
}

// Decode decodes the bytes of one input and learns what it marks sensitive;
// name is used in errors and as the snapshot's source. Every error is found
// here: Union and Snapshot cannot fail.
func Decode(name string, data []byte, opts Options) (*Decoded, error) {
	if len(opts.Key) > 0 {
		if d, err := decodeStream(bytes.NewReader(data), int64(len(data)), name, opts); err == nil {
			return d, nil
		}
	}
	return decodeDocument(name, data, opts)
}

// decodeDocument is Decode by the document reader: the whole input,
// checked by package guard, then decoded by encoding/json. It reads
// everything the streaming reader gives up on, and words every error.
func decodeDocument(name string, data []byte, opts Options) (*Decoded, error) {
	if len(opts.Key) == 0 {
		return nil, fmt.Errorf("parse %s: no hashing key for sensitive values", name)
	}
	sum := sha256.Sum256(data)
	if ie := wrongFile(name, data); ie != nil {
		return nil, ie
	}
	text, err := toUTF8(data)
	if err != nil {
		return nil, &InputError{File: name, Problem: err.Error(), Hint: "save the file as UTF-8 or UTF-16 with a byte order mark"}
	}
	doc, err := decode(text)
	if err != nil {
		hint := jsonHint(text)
		if ge := (*guard.Error)(nil); errors.As(err, &ge) && ge.Kind == guard.DuplicateKey {
			hint = "regenerate the file with `terraform show -json` or `terraform state pull` rather than editing it"
		}
		return nil, &InputError{File: name, Problem: describeJSONError(text, err), Hint: hint}
	}
	if err := doc.validate(); err != nil {
		return nil, named(name, err)
	}
	r := newRedactor(opts.Key, opts.EnvTokens)
	build, err := doc.snapshot(r)
	if err != nil {
		return nil, named(name, err)
	}
	return &Decoded{name: name, sum: sum, r: r, build: build}, nil
}

// named gives an error from building the snapshot the file's name. The
// context that wraps an *InputError ("resource_changes aws_s3_bucket.logs:")
// is kept, so the message names the resource as well as the file.
func named(name string, err error) error {
	var ie *InputError
	if !errors.As(err, &ie) {
		return &InputError{File: name, Problem: err.Error()}
	}
	if ie.File == "" {
		if context := strings.TrimSuffix(err.Error(), ie.Error()); context != err.Error() && context != "" {
			ie.Problem = strings.TrimSuffix(context, ": ") + ": " + ie.Problem
		}
	}
	ie.File = name
	return ie
}

func decode(text []byte) (*document, error) {
	trimmed := bytes.TrimSpace(text)
	if len(trimmed) == 0 {
		return nil, errors.New("the file is empty")
	}
	if trimmed[0] != '{' {
		return nil, errors.New("not a JSON object")
	}
	// Depth, duplicate keys and syntax are checked before encoding/json
	// sees the bytes (see package guard). Plain syntax errors are left to
	// encoding/json, whose messages users know, unless it accepts the
	// document.
	gerr := guard.JSON(text)
	var ge *guard.Error
	if errors.As(gerr, &ge) && ge.Kind != guard.Syntax {
		return nil, gerr
	}
	// The top level is decoded in one pass over the whole input; resource
	// objects stay raw until they are needed (see decodeValue).
	var doc document
	if err := json.Unmarshal(text, &doc); err != nil {
		return nil, err
	}
	if gerr != nil {
		return nil, gerr
	}
	return &doc, nil
}

// describeJSONError turns encoding/json's errors into a line:column message.
// Type errors name the field and the JSON type but never the value, which
// could be a secret.
func describeJSONError(text []byte, err error) string {
	var ge *guard.Error
	if errors.As(err, &ge) {
		if ge.Kind == guard.Syntax {
			return fmt.Sprintf("malformed JSON at line %d, column %d: %s", ge.Line, ge.Column, strings.TrimPrefix(ge.Problem, "malformed JSON: "))
		}
		return ge.Error()
	}
	if errors.Is(err, errNumberIsString) {
		return "unexpected JSON: \"version\" should be a number, found a string (Terraform writes it as a number)"
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		// Offset counts the bytes read, the offending one included.
		line, col := guard.LineColumn(text, max(se.Offset-1, 0))
		switch msg := se.Error(); {
		case strings.Contains(msg, "unexpected end of JSON input"):
			return fmt.Sprintf("malformed JSON: the document ends too early at line %d, column %d (truncated file?)", line, col)
		case strings.Contains(msg, "after top-level value"):
			return fmt.Sprintf("malformed JSON at line %d, column %d: unexpected data after the end of the top-level object (unbalanced braces, or two documents in one file?)", line, col)
		default:
			return fmt.Sprintf("malformed JSON at line %d, column %d: %s", line, col, msg)
		}
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		line, col := guard.LineColumn(text, te.Offset)
		got := te.Value
		if i := strings.IndexByte(got, ' '); i > 0 {
			got = got[:i] // "number 5" -> "number": never echo a value
		}
		field := te.Field
		if field == "" {
			field = "document"
		}
		return fmt.Sprintf("unexpected JSON at line %d, column %d: %s should be %s, found %s", line, col, field, jsonkind.OfGo(te.Type.Kind()).Phrase(), got)
	}
	if strings.Contains(err.Error(), "invalid number literal") {
		// encoding/json quotes the offending string in this error: never echo it.
		return "unexpected JSON: a field that should be a number (such as \"version\" or \"serial\") holds a string that is not a number"
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return "malformed JSON: the document ends too early (truncated file?)"
	}
	if strings.HasPrefix(err.Error(), "malformed JSON") {
		return err.Error()
	}
	return "malformed JSON: " + err.Error()
}

func jsonHint(text []byte) string {
	t := bytes.TrimSpace(text)
	switch {
	case bytes.HasPrefix(t, []byte("[command]")) || bytes.Contains(t[:min(len(t), 4096)], []byte("::debug::")):
		return "this looks like output captured through hashicorp/setup-terraform's wrapper; set terraform_wrapper: false or write the file with `terraform show -json plan.out > plan.json`"
	case len(t) > 0 && t[0] != '{':
		return "lockstep reads `terraform show -json` output (plan or state) or a raw terraform.tfstate"
	}
	return "produce it with `terraform show -json plan.out > plan.json` or `terraform state pull > state.tfstate`"
}
