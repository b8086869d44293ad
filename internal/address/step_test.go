package address

import (
	"errors"
	"reflect"
	"testing"
)

func TestSteps(t *testing.T) {
	tests := []struct {
		in     string
		want   []Step
		render string // "" when the text is already canonical
	}{
		{"aws_instance.web", []Step{{Name: "aws_instance"}, {Name: "web"}}, ""},
		{"aws_instance.web[0]", []Step{{Name: "aws_instance"}, {Name: "web", Key: Key{IntKey, "0"}}}, ""},
		{"a.b[007]", []Step{{Name: "a"}, {Name: "b", Key: Key{IntKey, "7"}}}, "a.b[7]"},
		{"a.b[000]", []Step{{Name: "a"}, {Name: "b", Key: Key{IntKey, "0"}}}, "a.b[0]"},
		{"a.b[123456789012345678901234567890]", []Step{{Name: "a"}, {Name: "b", Key: Key{IntKey, "123456789012345678901234567890"}}}, ""},
		{`module.net["eu.west"].x.y`, []Step{{Name: "module"}, {Name: "net", Key: Key{StringKey, "eu.west"}}, {Name: "x"}, {Name: "y"}}, ""},
		{`a.b["x]y"]`, []Step{{Name: "a"}, {Name: "b", Key: Key{StringKey, "x]y"}}}, ""},
		{`a.b["[x]"]`, []Step{{Name: "a"}, {Name: "b", Key: Key{StringKey, "[x]"}}}, ""},
		{`a.b["a\"b"]`, []Step{{Name: "a"}, {Name: "b", Key: Key{StringKey, `a"b`}}}, ""},
		{`a.b["a\\b"]`, []Step{{Name: "a"}, {Name: "b", Key: Key{StringKey, `a\b`}}}, ""},
		{`a.b["\"].c"]`, []Step{{Name: "a"}, {Name: "b", Key: Key{StringKey, `"].c`}}}, ""},
		{`a.b["é.ü"]`, []Step{{Name: "a"}, {Name: "b", Key: Key{StringKey, "é.ü"}}}, ""},
		{`a.b["\u00e9"]`, []Step{{Name: "a"}, {Name: "b", Key: Key{StringKey, "é"}}}, `a.b["é"]`},
		{`a.b["\U0001F600"]`, []Step{{Name: "a"}, {Name: "b", Key: Key{StringKey, "😀"}}}, `a.b["😀"]`},
		{`a.b["\u0001\n\t\r"]`, []Step{{Name: "a"}, {Name: "b", Key: Key{StringKey, "\x01\n\t\r"}}}, ""},
		{`a.b["\u200b"]`, []Step{{Name: "a"}, {Name: "b", Key: Key{StringKey, "\u200b"}}}, ""},
		{`a.b["$${x}"]`, []Step{{Name: "a"}, {Name: "b", Key: Key{StringKey, "${x}"}}}, ""},
		{`a.b["%%{x}"]`, []Step{{Name: "a"}, {Name: "b", Key: Key{StringKey, "%{x}"}}}, ""},
		{`a.b["${x}"]`, []Step{{Name: "a"}, {Name: "b", Key: Key{StringKey, "${x}"}}}, `a.b["$${x}"]`},
		{`a.b["$$"]`, []Step{{Name: "a"}, {Name: "b", Key: Key{StringKey, "$$"}}}, ""},
		{`a.b[""]`, []Step{{Name: "a"}, {Name: "b", Key: Key{StringKey, ""}}}, ""},
		{"a.b[\"\xff\"]", []Step{{Name: "a"}, {Name: "b", Key: Key{StringKey, "\xff"}}}, ""},
		{"ünï.cødé", []Step{{Name: "ünï"}, {Name: "cødé"}}, ""},
		{"x", []Step{{Name: "x"}}, ""},
	}
	for _, tt := range tests {
		got, err := Steps(tt.in)
		if err != nil {
			t.Errorf("Steps(%q): %v", tt.in, err)
			continue
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Steps(%q) = %#v, want %#v", tt.in, got, tt.want)
		}
		want := tt.render
		if want == "" {
			want = tt.in
		}
		if r := Render(got); r != want {
			t.Errorf("Render(Steps(%q)) = %q, want %q", tt.in, r, want)
		}
	}
}

func TestPatternSteps(t *testing.T) {
	got, err := PatternSteps("module.*[*].aws_*.x[*]")
	want := []Step{{Name: "module"}, {Name: "*", Key: Key{Kind: AnyKey}}, {Name: "aws_*"}, {Name: "x", Key: Key{Kind: AnyKey}}}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("PatternSteps = %#v, %v; want %#v", got, err, want)
	}
	if r := Render(got); r != "module.*[*].aws_*.x[*]" {
		t.Errorf("Render = %q", r)
	}
	var se *SyntaxError
	if _, err := Steps("a.b[*]"); !errors.As(err, &se) || se.Kind != Wildcard || se.Offset != 3 {
		t.Errorf("Steps(a.b[*]) = %v, want a Wildcard error at 3", err)
	}
}

// TestStepsErrors pins kind, offset and wording: the wording is quoted in
// configuration diagnostics and must not drift.
func TestStepsErrors(t *testing.T) {
	tests := []struct {
		in     string
		kind   ErrorKind
		offset int
		msg    string
	}{
		{"", Empty, 0, "the address is empty"},
		{"a.", TrailingDot, 1, "it ends with a dot"},
		{"a..b", EmptyStep, 2, "empty step at offset 2"},
		{".a", EmptyStep, 0, "empty step at offset 0"},
		{"[0].a", IndexWithoutName, 0, "index at offset 0 has no name before it"},
		{"a.[0]", IndexWithoutName, 2, "index at offset 2 has no name before it"},
		{"a[", UnterminatedIndex, 1, "unterminated index"},
		{"a[0", UnclosedIndex, 3, "index at offset 3 is not closed with ]"},
		{`a["x"`, UnclosedIndex, 5, "index at offset 5 is not closed with ]"},
		{"a[x]", BadIndex, 2, "index at offset 2 must be a number, a quoted string or *"},
		{"a[-1]", BadIndex, 2, "index at offset 2 must be a number, a quoted string or *"},
		{`a["x]`, UnterminatedString, 5, "unterminated string index"},
		{`a["x\`, UnterminatedString, 4, "unterminated string index"},
		{`a["\q"]`, UnknownEscape, 3, `unknown escape \q at offset 3`},
		{`a["\x41"]`, UnknownEscape, 3, `unknown escape \x at offset 3`},
		{`a["\u12`, ShortEscape, 3, `short \u escape at offset 3`},
		{`a["\u12"]`, InvalidEscape, 3, `invalid \u escape at offset 3`},
		{`a["\uzzzz"]`, InvalidEscape, 3, `invalid \u escape at offset 3`},
		{`a["\ud800"]`, InvalidEscape, 3, `invalid \u escape at offset 3`},
		{`a["\U00110000"]`, InvalidEscape, 3, `invalid \U escape at offset 3`},
		{"a[0]b", AfterIndex, 4, `unexpected 'b' after index at offset 4`},
		{"a[0][1]", AfterIndex, 4, `unexpected '[' after index at offset 4`},
		{"a]b", UnexpectedChar, 1, `unexpected ']' at offset 1`},
		{"a b", UnexpectedChar, 1, `unexpected ' ' at offset 1`},
		{`a"b`, UnexpectedChar, 1, `unexpected '"' at offset 1`},
		{"a\xffb", UnexpectedChar, 1, `unexpected '�' at offset 1`},
		{"a.b[*]", Wildcard, 3, "[*] at offset 3 is only allowed in patterns"},
	}
	for _, tt := range tests {
		_, err := Steps(tt.in)
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("Steps(%q) = %v, want a *SyntaxError", tt.in, err)
			continue
		}
		if se.Kind != tt.kind || se.Offset != tt.offset || se.Error() != tt.msg {
			t.Errorf("Steps(%q) = kind %d offset %d %q; want kind %d offset %d %q",
				tt.in, se.Kind, se.Offset, se.Error(), tt.kind, tt.offset, tt.msg)
		}
	}
}
