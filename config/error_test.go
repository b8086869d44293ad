package config

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
)

func TestErrorRendering(t *testing.T) {
	src := "environment \"a\" {}\nenvironment \"a\" {}\nwaiver \"w\" {\n  rule = \"x\"\n}\n"
	_, err := Parse([]byte(src), "lockstep.hcl", Options{})
	var cerr *Error
	if !errors.As(err, &cerr) {
		t.Fatalf("want *Error, got %v", err)
	}
	wantFirst := `lockstep.hcl:2:1: Duplicate environment; An environment named "a" was already declared on line 1.`
	if first := strings.Split(err.Error(), "\n")[0]; first != wantFirst {
		t.Errorf("first line = %q, want %q", first, wantFirst)
	}
	if len(cerr.Diagnostics) != 4 {
		t.Errorf("got %d diagnostics, want 4:\n%v", len(cerr.Diagnostics), err)
	}

	var diags hcl.Diagnostics
	if !errors.As(err, &diags) || len(diags) != len(cerr.Diagnostics) {
		t.Errorf("errors.As to hcl.Diagnostics failed or lost diagnostics")
	}

	var buf bytes.Buffer
	if err := cerr.WriteText(&buf); err != nil {
		t.Fatal(err)
	}
	text := buf.String()
	for _, want := range []string{
		"Error: Duplicate environment",
		`on lockstep.hcl line 2, in environment "a":`,
		`   2: environment "a" {}`,
		"Error: Missing required argument",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("WriteText output lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "\x1b[") {
		t.Errorf("WriteText output contains colour codes")
	}
}
