package parser_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/lockstep-iac/lockstep/internal/guard"
	"github.com/lockstep-iac/lockstep/parser"
)

// nested wraps "1" in n pairs of open and close.
func nested(open, close string, n int) string {
	return strings.Repeat(open, n) + "1" + strings.Repeat(close, n)
}

// FuzzParseLockFile: ParseLockFile never panics, every failure is an
// *InputError naming the file on one line, and every lock file read has a
// version for each provider. Run it with
//
//	go test -run='^$' -fuzz=FuzzParseLockFile -fuzztime=60s -fuzzminimizetime=2s ./parser/
//
// Without -fuzzminimizetime the fuzzer spends up to a minute minimizing each
// new interesting input derived from the kilobyte-long seed, and reports
// 0 execs/sec meanwhile: that is minimization, not a slow input.
func FuzzParseLockFile(f *testing.F) {
	for _, s := range []string{
		realLockFile, "", "\n", "# comment\n", "\xef\xbb\xbf" + realLockFile, "\xff\xfe" + "p\x00",
		`provider "a/b" { version = "1.0.0" }`,
		"provider \"a/b\" {\n  version = \"1.0.0\"\n  constraints = \"~> 1.0\"\n  hashes = [\"h1:x\", \"zh:y\"]\n  future = { a = [1, true, null] }\n  nested { x = 1 }\n}\n",
		"provider \"a/b\" {\n  version = \"1.0.0\"\n}\nprovider \"a/b\" {\n  version = \"1.0.0\"\n}\n",
		"provider \"a/b\" {\n  version = \"${\"1\"}%{if true}x%{endif}\"\n  hashes = [for h in [\"a\"] : h]\n}\n",
		"provider \"a/b\" {\n  version = <<EOT\n1.0.0\nEOT\n}\n",
		"provider \"a/b\" {\n  version = true ? null : \"x\"\n  hashes = [\"a\"][0]\n}\n",
		"terraform {}\n", "x = 1\n", "provider {}\n", `provider "" { version = "1" }`, "provider \"a\" \"b\" {}\n",
		"provider \"a/b\" {\n  version = \"\\q\"\n}\n", "provider \"a/b\" {\n  version = var.x\n}\n", "{", `{"provider":{}}`,
	} {
		f.Add([]byte(s))
	}
	// Nesting at and just over the limit, in each construct that nests.
	for _, n := range []int{guard.MaxDepth, guard.MaxDepth + 1} {
		f.Add([]byte("provider \"a/b\" {\n  version = \"1\"\n  hashes = " + nested("[", "]", n) + "\n}\n"))
		f.Add([]byte("provider \"a/b\" {\n  version = " + nested("(", ")", n) + "\n}\n"))
		f.Add([]byte("provider \"a/b\" {\n  version = " + nested(`"${`, `}"`, n/2) + "\n}\n"))
		f.Add([]byte("provider \"a/b\" {\n  version = \"" + nested("%{if true}", "%{endif}", n) + "\"\n}\n"))
		f.Add([]byte("provider \"a/b\" {\n  version = <<EOT\n" + nested("[", "]", n) + "\nEOT\n}\n"))
		f.Add([]byte("# " + nested("{", "}", n) + "\nprovider \"a/b\" {\n  version = \"1\" /* ( */\n}\n"))
		f.Add([]byte(strings.Repeat("x {\n", n) + strings.Repeat("}\n", n)))
		f.Add([]byte("provider \"a/b\" {\n  version = " + strings.Repeat("!", n) + "true\n}\n"))
	}

	const name = "fuzz/.terraform.lock.hcl"
	f.Fuzz(func(t *testing.T, data []byte) {
		lf, err := parser.ParseLockFile(name, data)
		if err != nil {
			var ie *parser.InputError
			if !errors.As(err, &ie) {
				t.Fatalf("error %T is not an *InputError: %v", err, err)
			}
			if lf != nil {
				t.Fatalf("a lock file with the error: %#v", lf)
			}
			if ie.File != name || !strings.HasPrefix(err.Error(), name+": ") || ie.Problem == "" {
				t.Fatalf("error does not name the file or says nothing: %#v", ie)
			}
			if strings.ContainsAny(err.Error(), "\r\n") {
				t.Fatalf("error is not one line: %q", err.Error())
			}
			return
		}
		if lf == nil || lf.Path != name || lf.Providers == nil {
			t.Fatalf("incomplete lock file %#v", lf)
		}
		for source, p := range lf.Providers {
			if source == "" || p.Version == "" {
				t.Fatalf("provider %q: %#v", source, p)
			}
		}
		again, err := parser.ParseLockFile(name, data)
		if err != nil || !reflect.DeepEqual(lf, again) {
			t.Fatalf("a second parse differs (err %v)", err)
		}
	})
}
