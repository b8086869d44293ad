package guard

import (
	"bytes"
	"errors"
	"io"
	"strings"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/lockstep-iac/lockstep/internal/jsonnum"
)

// JSON checks one JSON document: well-formed, valid UTF-8, no object with
// two members of the same name (RFC 7493, which Terraform's output follows),
// and no deeper than MaxDepth. It streams the tokens without building
// values, so its memory does not grow with the document.
func JSON(src []byte) error {
	return checkJSON(src, jsontext.NewDecoder(bytes.NewReader(src)), nil, 0)
}

// Value is JSON for one value of a larger document, found depth levels
// below its top (a member of the top-level object is at depth 1): the
// value's nesting counts from there, so a document checked piece by piece
// is held to the same MaxDepth as one checked whole.
func Value(src []byte, depth int) error {
	return checkJSON(src, jsontext.NewDecoder(bytes.NewReader(src)), nil, depth)
}

// Nesting returns the deepest nesting of brackets and braces in src, a
// JSON value already known to be well-formed: what MaxDepth bounds,
// counted without decoding. Bytes inside strings are not counted.
func Nesting(src []byte) int {
	depth, deepest := 0, 0
	for i := 0; i < len(src); i++ {
		switch src[i] {
		case '{', '[':
			depth++
			deepest = max(deepest, depth)
		case '}', ']':
			depth--
		case '"':
			for i++; i < len(src); i++ {
				j := bytes.IndexByte(src[i:], '"')
				if j < 0 {
					return deepest
				}
				i += j
				// The quote ends the string unless an odd number of
				// backslashes escapes it.
				k := i - 1
				for k >= 0 && src[k] == '\\' {
					k--
				}
				if (i-k)%2 == 1 {
					break
				}
			}
		}
	}
	return deepest
}

// JSONData is JSON for a document that OPA loads whole as policy data: it
// also refuses a number OPA cannot hold (an exponent beyond its limit),
// which OPA would report without naming the file.
func JSONData(src []byte) error {
	return checkJSON(src, jsontext.NewDecoder(bytes.NewReader(src)), jsonnum.RegoSafe, 0)
}

// JSONDepth is JSON without the check for duplicate names, for HCL's JSON
// syntax (.tf.json), where a name may repeat.
func JSONDepth(src []byte) error {
	return checkJSON(src, jsontext.NewDecoder(bytes.NewReader(src), jsontext.AllowDuplicateNames(true)), nil, 0)
}

// checkJSON streams src's tokens; number, when set, judges every number;
// base is the depth at which src sits in its document.
func checkJSON(src []byte, dec *jsontext.Decoder, number func(string) bool, base int) error {
	for {
		tok, err := dec.ReadToken()
		if err != nil {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return jsonError(src, dec, err)
		}
		switch k := tok.Kind(); {
		case (k == '{' || k == '[') && base+dec.StackDepth() > MaxDepth:
			return tooDeep(src, dec.InputOffset()-1)
		case k == '0' && number != nil && !number(tok.String()):
			at := dec.InputOffset() - int64(len(tok.String()))
			line, col := LineColumn(src, at)
			return &Error{Line: line, Column: col, Offset: at, Kind: Syntax,
				Problem: "a number whose exponent is too large for Rego"}
		case dec.StackDepth() == 0:
			// The top-level value is complete: only white space may follow.
			rest := dec.InputOffset()
			for rest < int64(len(src)) && strings.IndexByte(" \t\r\n", src[rest]) >= 0 {
				rest++
			}
			if rest == int64(len(src)) {
				return nil
			}
			line, col := LineColumn(src, rest)
			return &Error{Line: line, Column: col, Offset: rest, Kind: Syntax,
				Problem: "malformed JSON: unexpected data after the end of the top-level value"}
		}
	}
}

func jsonError(src []byte, dec *jsontext.Decoder, err error) *Error {
	var se *jsontext.SyntacticError
	if !errors.As(err, &se) {
		line, col := LineColumn(src, dec.InputOffset())
		return &Error{Line: line, Column: col, Offset: dec.InputOffset(), Kind: Syntax, Problem: "malformed JSON"}
	}
	e := &Error{Offset: se.ByteOffset, Kind: Syntax, Problem: "malformed JSON: " + unquoted(se.Err.Error())}
	switch {
	case errors.Is(se, jsontext.ErrDuplicateName):
		e.Kind = DuplicateKey
		e.Problem = "an object has the same key twice (Terraform never writes that, and only one of the two would be read)"
		e.Path = safePath(se.JSONPointer)
	case strings.Contains(se.Err.Error(), "UTF-8"):
		e.Kind = InvalidUTF8
		e.Problem = "a string is not valid UTF-8"
	case errors.Is(se, io.ErrUnexpectedEOF):
		e.Problem = "malformed JSON: the document ends too early (truncated file?)"
	}
	e.Line, e.Column = LineColumn(src, e.Offset)
	return e
}

// unquoted drops the `...` excerpts jsontext quotes from a string, which
// could be part of a secret.
func unquoted(msg string) string {
	for {
		i := strings.IndexByte(msg, '`')
		if i < 0 {
			break
		}
		j := strings.IndexByte(msg[i+1:], '`')
		if j < 0 {
			msg = msg[:i]
			break
		}
		msg = msg[:i] + msg[i+1+j+1:]
	}
	return strings.Join(strings.Fields(msg), " ")
}

// valueFields hold values from the configuration or the infrastructure:
// the names below them are map keys, which can be secrets.
var valueFields = map[string]bool{
	"before": true, "after": true, "after_unknown": true, "before_sensitive": true, "after_sensitive": true,
	"values": true, "sensitive_values": true, "value": true, "default": true,
	"attributes": true, "attributes_flat": true, "constant_value": true, "private": true,
}

// safePath renders a JSON pointer as a path, dotted for names and bracketed
// for indexes ("resource_changes[3].change.after.*.*"), with every step below
// a value field replaced by "*". Elsewhere a token of digits is taken for an
// index.
func safePath(p jsontext.Pointer) string {
	var b strings.Builder
	inValue := false
	prev := ""
	for tok := range p.Tokens() {
		switch {
		case inValue:
			// Below a value even a token of digits may be a map key.
			b.WriteString(".*")
			continue
		case isIndex(tok):
			b.WriteString("[" + tok + "]")
			continue
		case b.Len() > 0:
			b.WriteByte('.')
		}
		b.WriteString(tok)
		// A state's own "values" (at the top, or a plan's prior_state's)
		// holds modules and resources, not values.
		inValue = valueFields[tok] && !(tok == "values" && (prev == "" || prev == "prior_state"))
		prev = tok
	}
	return b.String()
}

func isIndex(tok string) bool {
	if tok == "" || len(tok) > 18 {
		return false
	}
	for _, c := range tok {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
