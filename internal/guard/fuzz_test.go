package guard

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// FuzzHCL checks the scanner against the parser it guards: it never
// panics, an error it gives is a position inside the input, and whatever
// it accepts hclsyntax parses without running out of stack (a crash the
// fuzzer would report).
func FuzzHCL(f *testing.F) {
	for _, s := range []string{
		"environment \"staging\" {}\nx = [1, 2]\n",
		"x = \"${[for a in b : a]}\"\n",
		"x = <<EOT\n${(1)}\n[[[ not nesting\nEOT\n",
		"x = \"%{if a}${b}%{else}c%{endif}\"\n# ((( comment\n/* [[[ */\n",
		"x = " + nest("[", "1", "]", MaxDepth) + "\n",
		"x = " + nest("[", "1", "]", MaxDepth+1) + "\n",
		"x = " + nest(`"${`, "1", `}"`, MaxDepth/2) + "\n",
		nest("b {\n", "", "}\n", 40),
		"x = a" + strings.Repeat(" ? 1 : a", 100) + "\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		err := HCL(src)
		if err != nil {
			var ge *Error
			if !errors.As(err, &ge) {
				t.Fatalf("error %T %v, want *guard.Error", err, err)
			}
			if ge.Line < 1 || ge.Line > strings.Count(string(src), "\n")+1 {
				t.Fatalf("error on line %d of a %d-line input", ge.Line, strings.Count(string(src), "\n")+1)
			}
			return
		}
		hclsyntax.ParseConfig(src, "fuzz.hcl", hcl.InitialPos)
	})
}

// FuzzJSON checks the JSON guard against encoding/json: it never panics,
// and a document it accepts is valid JSON nested at most MaxDepth deep.
// (It may refuse what encoding/json accepts: invalid UTF-8, duplicate keys,
// deeper nesting.)
func FuzzJSON(f *testing.F) {
	for _, s := range []string{
		`{"format_version":"1.2","resource_changes":[]}`,
		`{"a":1,"a":2}`,
		`{"values":{"secret-key":1,"secret-key":2}}`,
		nest("[", "0", "]", MaxDepth),
		nest("[", "0", "]", MaxDepth+1),
		"{\"a\":\"\xff\"}",
		`{"n":1e100000000}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		if err := JSON(src); err != nil {
			var ge *Error
			if !errors.As(err, &ge) {
				t.Fatalf("error %T %v, want *guard.Error", err, err)
			}
			return
		}
		if !json.Valid(src) {
			t.Fatalf("accepted invalid JSON %q", src)
		}
		if d := depth(src); d > MaxDepth {
			t.Fatalf("accepted nesting %d deep", d)
		}
	})
}

// depth is the deepest bracket nesting of a valid JSON document.
func depth(src []byte) int {
	d, deepest, inString, escaped := 0, 0, false, false
	for _, c := range src {
		switch {
		case inString && escaped:
			escaped = false
		case inString && c == '\\':
			escaped = true
		case c == '"':
			inString = !inString
		case !inString && (c == '[' || c == '{'):
			d++
			deepest = max(deepest, d)
		case !inString && (c == ']' || c == '}'):
			d--
		}
	}
	return deepest
}
