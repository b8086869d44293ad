package guard

import (
	"errors"
	"strings"
	"testing"
)

// nest repeats open n times, then inner, then close n times.
func nest(open, inner, close string, n int) string {
	return strings.Repeat(open, n) + inner + strings.Repeat(close, n)
}

// TestHCLDepth runs each construct at the largest count the limit allows
// and at one more, which must fail on the given line.
func TestHCLDepth(t *testing.T) {
	tests := []struct {
		name string
		gen  func(n int) string
		// max is the largest n within the limit: each construct costs its
		// own number of levels (an interpolation is a string and a ${).
		max  int
		line int
	}{
		{"brackets", func(n int) string { return "x = " + nest("[", "1", "]", n) + "\n" }, MaxDepth, 1},
		{"parentheses", func(n int) string { return "\n\nx = " + nest("(", "1", ")", n) + "\n" }, MaxDepth, 3},
		{"objects", func(n int) string { return "x = " + nest("{a=", "1", "}", n) + "\n" }, MaxDepth, 1},
		{"blocks", func(n int) string { return nest("b {\n", "", "}\n", n) }, MaxDepth, MaxDepth + 1},
		{"interpolations", func(n int) string { return "x = " + nest(`"${`, "1", `}"`, n) + "\n" }, MaxDepth / 2, 1},
		{"brackets inside an interpolation", func(n int) string { return `x = "${` + nest("[", "1", "]", n) + `}"` + "\n" }, MaxDepth - 2, 1},
		{"brackets inside a heredoc's interpolation", func(n int) string {
			return "x = <<EOT\n${" + nest("(", "1", ")", n) + "}\nEOT\n"
		}, MaxDepth - 2, 2},
		{"directives", func(n int) string { return `x = "` + nest("%{if true}", "", "%{endif}", n) + `"` + "\n" }, MaxDepth - 2, 1},
		{"unary operators", func(n int) string { return "x = " + strings.Repeat("!", n) + "true\n" }, MaxDepth, 1},
		{"binary operators", func(n int) string { return "x = 1" + strings.Repeat("+1", n) + "\n" }, MaxDepth, 1},
		{"logical operators", func(n int) string { return "x = true" + strings.Repeat(" && true", n) + "\n" }, MaxDepth, 1},
		{"conditionals", func(n int) string { return "x = a" + strings.Repeat(" ? 1 : a", n) + "\n" }, MaxDepth, 1},
		{"index expressions", func(n int) string { return "x = a" + strings.Repeat("[b]", n) + "\n" }, MaxDepth, 1},
		{"operators over lines in parentheses", func(n int) string { return "x = (1" + strings.Repeat("\n+ 1", n) + ")\n" }, MaxDepth - 1, MaxDepth + 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if err := HCL([]byte(tc.gen(tc.max))); err != nil {
				t.Errorf("at the limit: %v", err)
			}
			err := HCL([]byte(tc.gen(tc.max + 1)))
			var ge *Error
			if !errors.As(err, &ge) || ge.Kind != TooDeep {
				t.Fatalf("over the limit: got %v, want a depth error", err)
			}
			if ge.Line != tc.line {
				t.Errorf("over the limit: error on line %d, want %d: %v", ge.Line, tc.line, err)
			}
		})
	}
}

// TestHCLNotNesting holds what must not count: brackets in strings,
// heredocs and comments, and constructs side by side.
func TestHCLNotNesting(t *testing.T) {
	deep := strings.Repeat("[", 5*MaxDepth)
	for name, src := range map[string]string{
		"siblings":                      strings.Repeat("x = [[1], [2], (3), {a = 1}]\n", 2000),
		"string":                        `x = "` + deep + `"` + "\n",
		"escaped quote":                 `x = "\"` + deep + `"` + "\n",
		"literal $${":                   `x = "$${` + deep + `"` + "\n",
		"literal %%{":                   `x = "%%{` + deep + `"` + "\n",
		"heredoc":                       "x = <<EOT\n" + deep + "\nEOT\ny = " + nest("[", "", "]", MaxDepth) + "\n",
		"indented heredoc":              "x = <<-EOT\n" + deep + "\n    EOT\ny = " + nest("[", "", "]", MaxDepth) + "\n",
		"heredoc with CRLF":             "x = <<EOT\r\n" + deep + "\r\nEOT\r\ny = 1\r\n",
		"hash comment":                  "# " + deep + "\nx = 1\n",
		"slash comment":                 "// " + deep + "\nx = 1\n",
		"block comment":                 "/* " + deep + "\n" + deep + " */\nx = 1\n",
		"comment in an interpolation":   "x = \"${1 # " + deep + "\n}\"\n",
		"directives in sequence":        `x = "` + strings.Repeat("%{if true}a%{endif}", 2000) + `"` + "\n",
		"interpolations in sequence":    `x = "` + strings.Repeat("${a}", 2000) + `"` + "\n",
		"operators on separate lines":   strings.Repeat("x = 1 + 1\n", 2000),
		"operators in separate items":   "x = [" + strings.Repeat("1 + 1, ", 2000) + "]\n",
		"string in an interpolation":    `x = "${"}` + deep + `"}"` + "\n",
		"unterminated string then code": "x = \"abc\ny = " + nest("[", "", "]", MaxDepth) + "\n",
	} {
		t.Run(name, func(t *testing.T) {
			if err := HCL([]byte(src)); err != nil {
				t.Errorf("unexpected error: %v", err)
			}
		})
	}
}

// TestHCLPosition checks the line and column of the opener that goes over.
func TestHCLPosition(t *testing.T) {
	src := "a = 1\n  x = " + nest("[", "", "]", MaxDepth+1) + "\n"
	err := HCL([]byte(src))
	var ge *Error
	if !errors.As(err, &ge) {
		t.Fatalf("got %v", err)
	}
	if ge.Line != 2 || ge.Column != 7+MaxDepth {
		t.Errorf("at %d:%d, want 2:%d", ge.Line, ge.Column, 7+MaxDepth)
	}
	if want := "line 2, column 519: nested more than 512 levels deep"; !strings.HasPrefix(err.Error(), want) {
		t.Errorf("message %q, want it to start with %q", err, want)
	}
}
