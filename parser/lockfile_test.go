package parser_test

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lockstep-iac/lockstep/parser"
)

// realLockFile is a lock file as `terraform init` writes it.
const realLockFile = `# This file is maintained automatically by "terraform init".
# Manual edits may be lost in future updates.

provider "registry.terraform.io/hashicorp/aws" {
  version     = "5.31.0"
  constraints = "~> 5.0"
  hashes = [
    "h1:ltxyuBWIy9cq0kIKDJH1jeWJy/y7XJLjS4QrsQK4plA=",
    "zh:0cdb9c2083bf0902442384f7309367791e4640581652dda456f2d6d7abf0de8d",
    "zh:126bd5e1e5a4b4e86a8b3b6e1c8f1f9a3b5c1e1b4b0c4c4f7a0d1b2c3d4e5f6a",
  ]
}

provider "registry.terraform.io/hashicorp/random" {
  version     = "3.6.0"
  constraints = ">= 3.1.0, < 4.0.0"
  hashes = [
    "h1:R5Ucn26riKIEijcsiOMBR3uOAjuOMfI1x7XvH4P6B1w=",
    "zh:03360ed3ecd31e8c5dac9c95fe0858be50f3e9a0d0c654b5e504109c2159287d",
  ]
}

provider "registry.terraform.io/hashicorp/null" {
  version = "3.2.2"
  hashes = [
    "h1:IMVAUHKoydFrlPrl9OzasDnw/8ntZFerCC9iXw1rXQY=",
  ]
}
`

func TestParseLockFile(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want map[string]parser.LockedProvider
	}{
		{"real", realLockFile, map[string]parser.LockedProvider{
			"registry.terraform.io/hashicorp/aws":    {Version: "5.31.0"},
			"registry.terraform.io/hashicorp/random": {Version: "3.6.0"},
			"registry.terraform.io/hashicorp/null":   {Version: "3.2.2"},
		}},
		{"empty", "", map[string]parser.LockedProvider{}},
		{"comments only", "# This file is maintained automatically by \"terraform init\".\n# Manual edits may be lost in future updates.\n", map[string]parser.LockedProvider{}},
		{"version only", `provider "example.com/acme/thing" { version = "0.1.0" }`, map[string]parser.LockedProvider{
			"example.com/acme/thing": {Version: "0.1.0"},
		}},
		{"utf-8 bom", "\xef\xbb\xbf" + realLockFile, map[string]parser.LockedProvider{
			"registry.terraform.io/hashicorp/aws":    {Version: "5.31.0"},
			"registry.terraform.io/hashicorp/random": {Version: "3.6.0"},
			"registry.terraform.io/hashicorp/null":   {Version: "3.2.2"},
		}},
		{"crlf", "provider \"registry.terraform.io/hashicorp/aws\" {\r\n  version = \"5.31.0\"\r\n  hashes = [\r\n    \"h1:x\",\r\n  ]\r\n}\r\n", map[string]parser.LockedProvider{
			"registry.terraform.io/hashicorp/aws": {Version: "5.31.0"},
		}},
		{"legacy provider address", `provider "registry.terraform.io/-/template" { version = "2.2.0" }`, map[string]parser.LockedProvider{
			"registry.terraform.io/-/template": {Version: "2.2.0"},
		}},
		{"unknown attributes and blocks tolerated", `provider "registry.terraform.io/hashicorp/aws" {
  version   = "5.31.0"
  signature = { kind = "gpg", keys = ["a", "b"] }
  future {
    anything = 1
  }
}`, map[string]parser.LockedProvider{
			"registry.terraform.io/hashicorp/aws": {Version: "5.31.0"},
		}},
		// Terraform rejects such an address, but a hand-written file reaches
		// lockstep first: the label is hidden like a module source.
		{"credentials in the address", `provider "https://user:s3cr3t@example.com/acme/thing?token=s3cr3t" { version = "0.1.0" }`, map[string]parser.LockedProvider{
			"https://(credentials)@example.com/acme/thing?token=(credentials)": {Version: "0.1.0"},
		}},
		{"empty hashes", `provider "a/b" {
  version = "1.0.0"
  hashes  = []
}`, map[string]parser.LockedProvider{"a/b": {Version: "1.0.0"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lf, err := parser.ParseLockFile("env/.terraform.lock.hcl", []byte(tt.src))
			if err != nil {
				t.Fatal(err)
			}
			if lf.Path != "env/.terraform.lock.hcl" {
				t.Errorf("Path = %q", lf.Path)
			}
			if lf.Providers == nil || !deepEqual(lf.Providers, tt.want) {
				t.Errorf("Providers = %#v\nwant %#v", lf.Providers, tt.want)
			}
		})
	}
}

func TestParseLockFileErrors(t *testing.T) {
	const file = "prod/.terraform.lock.hcl"
	tests := []struct {
		name string
		src  string
		want []string // substrings of the message, position first
	}{
		{"syntax error", "provider \"registry.terraform.io/hashicorp/aws\" {\n  version = \"5.31.0\"\n  hashes = [\n    \"h1:abc\"\n    \"zh:def\",\n  ]\n}\n",
			[]string{"line 5, column 5: ", "Missing item separator"}},
		{"unclosed block", "provider \"a/b\" {\n  version = \"1.0.0\"\n", []string{"line 1, column 16: ", "Unclosed configuration block"}},
		{"missing version", "provider \"a/b\" {\n  constraints = \"~> 1.0\"\n}\n",
			[]string{"line 1, column 16: ", "Missing required argument", `"version" is required`}},
		{"empty version", "provider \"a/b\" {\n  version = \"\"\n}\n",
			[]string{"line 2, column 13: ", "Empty provider version", `"version" argument of provider "a/b" must not be empty`}},
		{"duplicate provider", "provider \"a/b\" {\n  version = \"1.0.0\"\n}\n\nprovider \"a/b\" {\n  version = \"2.0.0\"\n}\n",
			[]string{"line 5, column 1: ", "Duplicate provider lock", `Provider "a/b" was already locked at line 1`}},
		{"unknown block", "terraform {\n  required_version = \">= 1.0\"\n}\n",
			[]string{"line 1, column 1: ", "Unsupported block type", `Blocks of type "terraform" are not expected here`}},
		{"a .tf file", "resource \"aws_s3_bucket\" \"logs\" {\n  bucket = \"logs\"\n}\n",
			[]string{"line 1, column 1: ", "Unsupported block type"}},
		{"top-level attribute", "version = \"1.0.0\"\n", []string{"line 1, column 1: ", "Unsupported argument"}},
		{"non-string version", "provider \"a/b\" {\n  version = 5\n}\n",
			[]string{"line 2, column 13: ", "Invalid provider version", "must be a string, found a number"}},
		{"null version", "provider \"a/b\" {\n  version = null\n}\n", []string{"line 2, column 13: ", "found null"}},
		{"list version", "provider \"a/b\" {\n  version = [\"1.0.0\"]\n}\n", []string{"line 2, column 13: ", "found a list"}},
		{"non-string constraints", "provider \"a/b\" {\n  version = \"1.0.0\"\n  constraints = true\n}\n",
			[]string{"line 3, column 17: ", "Invalid provider constraints", "found a boolean"}},
		{"hashes not a list", "provider \"a/b\" {\n  version = \"1.0.0\"\n  hashes = \"h1:abc\"\n}\n",
			[]string{"line 3, column 12: ", "Invalid provider hashes", "must be a list of strings, found a string"}},
		{"hashes with a number", "provider \"a/b\" {\n  version = \"1.0.0\"\n  hashes = [\"h1:abc\", 1]\n}\n",
			[]string{"line 3, column 12: ", "Invalid provider hashes"}},
		{"variable reference", "provider \"a/b\" {\n  version = var.v\n}\n", []string{"line 2, column 13: ", "Variables not allowed"}},
		{"function call", "provider \"a/b\" {\n  version = lower(\"X\")\n}\n", []string{"line 2, column 13: ", "Function calls not allowed"}},
		{"missing label", "provider {\n  version = \"1.0.0\"\n}\n", []string{"line 1, column 10: ", "Missing source for provider"}},
		{"two labels", "provider \"a/b\" \"c\" {\n  version = \"1.0.0\"\n}\n", []string{"line 1, column 16: ", "Extraneous label for provider"}},
		{"empty label", "provider \"\" {\n  version = \"1.0.0\"\n}\n", []string{"line 1, column 10: ", "Empty provider address"}},
		{"version set twice", "provider \"a/b\" {\n  version = \"1.0.0\"\n  version = \"2.0.0\"\n}\n", []string{"line 3, column 3: ", "Attribute redefined"}},
		{"json", `{"provider": {}}`, []string{"line 1, column 1: "}},
		{"utf-16 without bom", "p\x00r\x00", []string{"UTF-16 without a byte order mark"}},
		{"invalid utf-8", "provider \"a/b\" {\n  version = \"\xff\"\n}\n", []string{"not valid UTF-8"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lf, err := parser.ParseLockFile(file, []byte(tt.src))
			if lf != nil {
				t.Errorf("got a lock file %#v with the error", lf)
			}
			ie := inputError(t, err, file)
			for _, w := range tt.want {
				if !strings.Contains(ie.Problem, w) {
					t.Errorf("Problem %q does not contain %q", ie.Problem, w)
				}
			}
			if !strings.Contains(tt.want[0], "UTF") && !strings.Contains(ie.Hint, "terraform init") {
				t.Errorf("Hint %q does not say how to regenerate the file", ie.Hint)
			}
		})
	}
}

// Values written in the file never appear in an error, even where HCL's own
// diagnostic would quote them.
func TestParseLockFileErrorsHideValues(t *testing.T) {
	for _, src := range []string{
		"provider \"a/b\" {\n  version = \"s3cr3t\\q\"\n}\n",
		"provider \"a/b\" {\n  version = \"s3cr3t\n}\n",
		"provider \"a/b\" {\n  version = \"%{s3cr3t}\"\n}\n",
		"provider \"a/b\" {\n  version = \"1.0.0\"\n  hashes = [\"s3cr3t\", 1]\n}\n",
		"provider \"a/b\" {\n  version = \"s3cr3t\" + 1\n}\n",
		"provider \"a/b\" {\n  version = 5\n  constraints = \"s3cr3t\"\n}\n",
		"provider \"https://s3cr3t@example.com/a/b\" {\n  version = 5\n}\n",
		"provider \"a/b?token=s3cr3t\" {\n  version = \"1\"\n}\nprovider \"a/b?token=s3cr3t\" {\n  version = \"1\"\n}\n",
	} {
		_, err := parser.ParseLockFile("f", []byte(src))
		if err == nil {
			t.Errorf("%q: no error", src)
			continue
		}
		if strings.Contains(err.Error(), "s3cr3t") {
			t.Errorf("error echoes a value: %v", err)
		}
	}
}

func TestReadLockFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, ".terraform.lock.hcl")
	if err := os.WriteFile(path, []byte(realLockFile), 0o644); err != nil {
		t.Fatal(err)
	}
	lf, err := parser.ReadLockFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if lf.Path != path || len(lf.Providers) != 3 || lf.Providers["registry.terraform.io/hashicorp/aws"].Version != "5.31.0" {
		t.Errorf("ReadLockFile = %#v", lf)
	}

	if err := os.WriteFile(path, []byte("provider \"a/b\" {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = parser.ReadLockFile(path)
	inputError(t, err, path)

	missing := filepath.Join(dir, "nope", ".terraform.lock.hcl")
	_, err = parser.ReadLockFile(missing)
	if !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("missing file: %v, want fs.ErrNotExist", err)
	}
	if msg := err.Error(); !strings.Contains(msg, missing) || strings.Count(msg, missing) != 1 {
		t.Errorf("missing file: %q should name the path once", msg)
	}
	var ie *parser.InputError
	if errors.As(err, &ie) {
		t.Errorf("a missing file is not an InputError: %v", err)
	}
}
