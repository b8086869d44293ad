package parser_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/lockstep-iac/lockstep/parser"
)

// TestRawDocument: the per-environment policies' input is the file as
// written, whatever its encoding, with exact numbers; a number the policy
// engine cannot hold reaches it as its text.
func TestRawDocument(t *testing.T) {
	dir := t.TempDir()
	plain := `{"format_version":"1.2","n":12345678901234567890123,"big":1e100000,"s":"x"}`
	want := map[string]any{"format_version": "1.2", "n": json.Number("12345678901234567890123"), "big": "1e100000", "s": "x"}
	u := utf16.Encode([]rune(plain))
	le := []byte{0xFF, 0xFE}
	for _, c := range u {
		le = append(le, byte(c), byte(c>>8))
	}
	tests := []struct {
		name    string
		content []byte
		problem string
	}{
		{name: "plain.json", content: []byte(plain)},
		{name: "bom.json", content: append([]byte{0xEF, 0xBB, 0xBF}, plain...)},
		{name: "utf16.json", content: le},
		{name: "two.json", content: []byte(plain + plain), problem: "more than one JSON value"},
		{name: "array.json", content: []byte(`[1]`), problem: "reading it again"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, tt.name)
			if err := os.WriteFile(path, tt.content, 0o600); err != nil {
				t.Fatal(err)
			}
			got, err := parser.RawDocumentFile(path, 0)
			if tt.problem != "" {
				if err == nil || !strings.Contains(err.Error(), tt.problem) || !strings.Contains(err.Error(), path) {
					t.Fatalf("error %v, want one naming %s and %q", err, path, tt.problem)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("got %#v, want %#v", got, want)
			}
			mem, err := parser.RawDocument(path, tt.content)
			if err != nil || !reflect.DeepEqual(mem, want) {
				t.Errorf("RawDocument: %#v %v", mem, err)
			}
		})
	}
}

// TestRedactText: a policy's text that holds a secret of the run, whole,
// inside a longer text, or encoded as jsonencode writes it, shows
// "(sensitive)" instead; other texts are kept.
func TestRedactText(t *testing.T) {
	s := scenariosDir + "/a-staging-only-change/"
	var decoded []*parser.Decoded
	for _, f := range []string{"staging.plan.json", "production.plan.json"} {
		d, err := parser.DecodeFile(s+f, opts())
		if err != nil {
			t.Fatal(err)
		}
		decoded = append(decoded, d)
	}
	marks := parser.Union(decoded...)
	secrets := strings.Fields(string(mustRead(t, scenariosDir+"/secrets.txt")))
	if len(secrets) == 0 {
		t.Fatal("no secrets")
	}
	found := 0
	for _, secret := range secrets {
		if marks.RedactText(secret) == secret {
			continue // a secret of another scenario
		}
		found++
		quoted, _ := json.Marshal(`"` + secret + `"`)
		for _, text := range []string{secret, "password is " + secret + "!", "in json: " + string(quoted)} {
			got := marks.RedactText(text)
			if strings.Contains(got, secret) || !strings.Contains(got, "(sensitive)") {
				t.Errorf("RedactText(%q) = %q", text, got)
			}
		}
	}
	if found == 0 {
		t.Error("no secret of secrets.txt is marked in scenario a")
	}
	for _, text := range []string{"", "nothing secret here", "abc"} {
		if got := marks.RedactText(text); got != text {
			t.Errorf("RedactText(%q) = %q, want it kept", text, got)
		}
	}
	var none *parser.Marks
	if none.RedactText("x") != "x" {
		t.Error("nil marks changed a text")
	}
}
