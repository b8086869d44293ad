package output

import (
	"encoding/json"
	"encoding/xml"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/lockstep-iac/lockstep/internal/golden"
	"github.com/lockstep-iac/lockstep/report"
)

func TestPrintable(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"plain", "terraform_data.db", "terraform_data.db"},
		{"unicode and emoji stay", "héllo ✓ 🚀 👩‍💻 مرحبا", "héllo ✓ 🚀 👩‍💻 مرحبا"},
		{"zero-width joiner and non-joiner stay", "a\u200db\u200cc", "a\u200db\u200cc"},
		{"line feed stays", "a\nb", "a\nb"},
		{"clear screen", "\x1b[2J", `\x1b[2J`},
		{"OSC title", "\x1b]0;pwned\x07", `\x1b]0;pwned\x07`},
		{"carriage return", "ok\rFAIL", `ok\x0dFAIL`},
		{"tab", "a\tb", `a\x09b`},
		{"NUL and DEL", "a\x00b\x7f", `a\x00b\x7f`},
		{"C1 CSI", "a\u009b2Jb", `a\u009b2Jb`},
		{"C1 NEL", "a\u0085b", `a\u0085b`},
		{"right-to-left override", "abc\u202edcba", `abc\u202edcba`},
		{"isolates", "\u2066x\u2069", `\u2066x\u2069`},
		{"marks", "\u200e\u200f\u061c", `\u200e\u200f\u061c`},
		{"zero-width space, word joiner, BOM", "pro\u200bd\u2060\ufeff", `pro\u200bd\u2060\ufeff`},
		{"line and paragraph separators", "a\u2028b\u2029c", `a\u2028b\u2029c`},
		{"soft hyphen", "a\u00adb", `a\u00adb`},
		{"tag characters", "x\U000e0041", `x\U000e0041`},
		{"invalid UTF-8", "a\xffb\x9b", `a\xffb\x9b`},
		// Backslashes: doubled only where an escape could be read.
		{"backslash alone", `a\b`, `a\b`},
		{"regular expression", `^\d+\.\w*$`, `^\d+\.\w*$`},
		{"literal \\x1b", `\x1b`, `\\x1b`},
		{"literal \\u202e", `\u202e`, `\\u202e`},
		{"literal \\U", `\U000e0041`, `\\U000e0041`},
		{"double backslash", `a\\b`, `a\\\b`},
		{"backslash at end", `a\`, `a\`},
		{"backslash before ESC", "\\\x1b", `\\\x1b`},
		{"backslash before invalid byte", "\\\xff", `\\\xff`},
		{"backslash before newline", "\\\n", "\\\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Printable(tc.in)
			if got != tc.want {
				t.Errorf("Printable(%q) = %q, want %q", tc.in, got, tc.want)
			}
			if back := unprintable(t, got); back != tc.in {
				t.Errorf("%q reads back as %q, want %q", got, back, tc.in)
			}
			assertDisplaySafe(t, got)
		})
	}
}

// unprintable reverses Printable, the way a reader of the output would: it
// proves that no escape can be mistaken for a value's own text.
func unprintable(t testing.TB, s string) string {
	t.Helper()
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' || i+1 == len(s) {
			b.WriteByte(s[i])
			continue
		}
		n := 0
		switch s[i+1] {
		case '\\':
			b.WriteByte('\\')
			i++
			continue
		case 'x':
			n = 2
		case 'u':
			n = 4
		case 'U':
			n = 8
		default:
			b.WriteByte('\\')
			continue
		}
		if i+2+n > len(s) {
			t.Fatalf("truncated escape in %q", s)
		}
		v, err := strconv.ParseUint(s[i+2:i+2+n], 16, 32)
		if err != nil {
			t.Fatalf("bad escape in %q: %v", s, err)
		}
		if n == 2 {
			b.WriteByte(byte(v))
		} else {
			b.WriteRune(rune(v))
		}
		i += 1 + n
	}
	return b.String()
}

// assertDisplaySafe fails when s holds anything a terminal or a browser
// would act on rather than show.
func assertDisplaySafe(t testing.TB, s string) {
	t.Helper()
	if !utf8.ValidString(s) {
		t.Errorf("output is not valid UTF-8: %q", s)
	}
	for _, r := range s {
		if r != '\n' && escaped(r) {
			t.Errorf("output holds %U raw: %q", r, s)
			return
		}
	}
}

func FuzzPrintable(f *testing.F) {
	for _, s := range []string{"", "plain", "\x1b[2J", `\x1b`, "\\\x1b", `\\`, "a\u202eb", "\xff\\", `\U`, "\\\u009b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Printable(s)
		if back := unprintable(t, got); back != s {
			t.Fatalf("Printable(%q) = %q reads back as %q", s, got, back)
		}
		assertDisplaySafe(t, got)
		if needsEscape(s) != (got != s) {
			t.Fatalf("needsEscape(%q) = %v, but Printable gives %q", s, needsEscape(s), got)
		}
	})
}

func TestJSONSafe(t *testing.T) {
	for _, in := range []string{"plain", "\x1b[2J\x7f", "a\u009bb", "abc\u202edcba", "x\U000e0041", "a\u2028b", "ünï ✓ 🚀"} {
		b, err := json.Marshal(map[string]string{"v": in})
		if err != nil {
			t.Fatal(err)
		}
		safe := jsonSafe(b)
		var back map[string]string
		if err := json.Unmarshal(safe, &back); err != nil || back["v"] != in {
			t.Errorf("%q: %s decodes to %q (%v)", in, safe, back["v"], err)
		}
		assertDisplaySafe(t, string(safe))
	}
}

// TestJSONNeedsEscape: jsonNeedsEscape selects what escaped selects, for
// every ASCII byte and for characters beyond ASCII (FuzzJSONNeedsEscape
// compares any text with the rune-by-rune definition).
func TestJSONNeedsEscape(t *testing.T) {
	for c := range rune(utf8.RuneSelf) {
		if got, want := jsonNeedsEscape([]byte{'"', 'a', byte(c), '"'}), escaped(c); got != want {
			t.Errorf("byte %#x: %v, want %v", c, got, want)
		}
	}
	for _, in := range []string{"ünï ✓ 🚀", "a\u009bb", "abc\u202edcba", "x\U000e0041", "a\u2028b", "prod\u200buction", "\u200d"} {
		in, err := strconv.Unquote(`"` + in + `"`)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := jsonNeedsEscape([]byte(in)), runeByRune([]byte(in)); got != want {
			t.Errorf("%q: %v, want %v", in, got, want)
		}
	}
}

// runeByRune is jsonNeedsEscape by its definition: some character of b is
// one that escaped selects.
func runeByRune(b []byte) bool {
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if escaped(r) {
			return true
		}
		i += size
	}
	return false
}

func FuzzJSONNeedsEscape(f *testing.F) {
	for _, s := range []string{"", "plain", "\x1b[2J\x7f", "a\u009bb", "\xff\xfe", "\u202e", "line\nbreak"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := jsonNeedsEscape([]byte(s)), runeByRune([]byte(s)); got != want {
			t.Fatalf("%q: %v, want %v", s, got, want)
		}
	})
}

// hostileValues are values from a plan or a user rule that try to act on
// the terminal or browser showing the report.
const (
	hostileESC   = "\x1b[2J\x1b]0;pwned\x07"
	hostileCR    = "ok\rFAIL"
	hostileC1    = "\u009b31mred"
	hostileBidi  = "admin\u202e\u2066nimda"
	hostileZW    = "prod\u200buction"
	hostileSlash = `C:\x1b\u202e`
)

// hostile is a report whose every text field holds control characters.
func hostile() *report.Report {
	both := []string{"staging", "prod\u202euction"}
	r := &report.Report{
		Version: report.SchemaVersion,
		Tool:    report.Tool{Name: "lockstep", Version: "0.1.0"},
		Environments: []report.Environment{
			{Name: "staging", Source: "plans/staging\x1b.json", Kind: "plan", TerraformVersion: "1.11.4"},
			{Name: "prod\u202euction", Source: "plans/production.json", Kind: "plan", TerraformVersion: "1.5.5\x1b[31m"},
		},
		Rules: []report.Rule{
			{ID: "attribute-divergence", Title: "Attribute differs", Severity: "error", Builtin: true,
				Description: "desc " + hostileESC, Remediation: "fix " + hostileBidi, HelpURI: "https://example.com/rules#x"},
			{ID: "main.deny\x1b[2J", Title: "user " + hostileC1, Severity: "warning", HelpURI: "https://exa\u202emple.com/"},
		},
		Findings: []report.Finding{
			{Rule: "attribute-divergence", Severity: "error", Address: "terraform_data.x[\"" + hostileESC + "\"]", Environments: both,
				Message: "input.v differs: staging " + hostileESC + ", prod\u202euction " + hostileCR + " " + hostileSlash,
				Details: report.Details{Attributes: []report.AttributeDetail{
					{Path: "input.v\u202e", Values: map[string]any{"staging": hostileESC, "prod\u202euction": hostileCR}},
					{Path: "input.list", Values: map[string]any{"staging": []any{hostileC1, hostileZW}, "prod\u202euction": 1}},
				}},
				Locations: []report.Location{{File: "envs/sta\x1bging/main.tf", Line: 3, Environments: []string{"staging"}},
					{File: "envs/prod/main\u202e.tf", Line: 4, Environments: []string{"prod\u202euction"}}}},
			{Rule: "attribute-divergence", Severity: "error", Address: "terraform_data.y", Environments: both, Waived: true,
				Message: "waived " + hostileBidi,
				Waiver:  &report.Waiver{Name: "w\x1b", Owner: "team\u202e", Reason: "because " + hostileCR, Expires: "2027-01-01"}},
			{Rule: "main.deny\x1b[2J", Severity: "warning", Address: "", Environments: []string{"staging"},
				Message: "user rule says " + hostileESC + "\nsecond line " + hostileZW,
				Details: report.Details{Extra: map[string]any{"k": hostileESC}}},
			{Rule: "version-skew", Severity: "warning", Environments: both,
				Message: "module source differs",
				Details: report.Details{Version: &report.VersionDetail{Kind: "module-source", Name: "module.m\x1b",
					Values: map[string]string{"staging": "git::https://h/" + hostileESC, "prod\u202euction": hostileBidi}}}},
		},
	}
	r.Sort()
	r.Summarize()
	return r
}

// TestEscapesInEveryFormat renders the hostile report in every format:
// display formats show escapes, json and sarif keep exact values behind
// JSON escapes, and no output holds a raw control character (but line
// feeds) or bidi override.
func TestEscapesInEveryFormat(t *testing.T) {
	files := map[string]string{"text": "text.txt", "github": "github.txt", "markdown": "markdown.md", "junit": "junit.xml", "sarif": "sarif.json", "json": "report.json"}
	for _, name := range Formats() {
		t.Run(name, func(t *testing.T) {
			f, err := Lookup(name)
			if err != nil {
				t.Fatal(err)
			}
			out := render(t, f, hostile())
			golden.Assert(t, "escape/"+files[name], out)
			assertDisplaySafe(t, string(out))
			if name != "json" && name != "sarif" && !strings.Contains(string(out), `\x1b`) {
				t.Errorf("%s shows no \\x1b escape:\n%s", name, out)
			}
		})
	}
	// The JSON report keeps every value exact.
	var back report.Report
	if err := json.Unmarshal(render(t, JSON{}, hostile()), &back); err != nil {
		t.Fatal(err)
	}
	if want := hostile(); !reflect.DeepEqual(back.Findings[0].Message, want.Findings[0].Message) || back.Environments[1].Name != want.Environments[1].Name {
		t.Errorf("json changed values: %q", back.Findings[0].Message)
	}
	// JUnit stays well-formed XML.
	if err := xml.Unmarshal(render(t, JUnit{}, hostile()), new(junitSuites)); err != nil {
		t.Errorf("junit: %v", err)
	}
	// A help link's bidi override is percent-encoded.
	if md := string(render(t, Markdown{}, hostile())); !strings.Contains(md, "(https://exa%E2%80%AEmple.com/)") {
		t.Errorf("markdown lacks the percent-encoded link:\n%s", md)
	}
}
