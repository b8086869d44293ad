package config

import (
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/hcl/v2"

	"github.com/lockstep-iac/lockstep/internal/guard"
)

func FuzzParse(f *testing.F) {
	f.Add(example)
	f.Add("")
	f.Add("environment \"a\" {}\nenvironment \"a\" {}\npromotion = [\"a\", \"b\"]\n")
	f.Add("environment \"production\" {\n  aliases = [\"prod\", null, 3]\n}\npromotion = [\"prod\"]\n")
	f.Add("waiver \"w\" {\n  rule = \"zzz\"\n  reason = \"\"\n  expires = \"2027-02-30\"\n}\n")
	f.Add("only_in \"p\" {\n  resources = [\"a[\\\"x.y\\\"].*\", \"a..b\"]\n  reason = var.x\n}\n")
	f.Add("expect_difference \"x\" {\n  resources = [for x in [\"a.b\"]: x]\n  attributes = {a = 1}\n  reason = upper(\"x\")\n}\n")
	f.Add("promotion = [\"a\" ? 1 : 2, [\"b\"]...]\n")
	f.Add("environment \"x\" \"y\" { foo {} }\n")
	f.Add("environment {\n")
	f.Add("environment \"staging\" {\n  aliases  = [\"stg\"]\n  lockfile = \"staging/.terraform.lock.hcl\"\n}\n" +
		"environment \"production\" {\n  lockfile = \"/abs/.terraform.lock.hcl\"\n}\nenvironment \"dev\" {\n  lockfile = \" \"\n}\n")
	// Nesting at and just over the limit, in each construct that nests.
	for _, n := range []int{guard.MaxDepth, guard.MaxDepth + 1} {
		rep := strings.Repeat
		f.Add("environment \"a\" {\n  aliases = " + rep("[", n) + rep("]", n) + "\n}\n")
		f.Add("promotion = " + rep("(", n) + "1" + rep(")", n) + "\n")
		f.Add("promotion = [" + rep(`"${`, n/2) + rep(`}"`, n/2) + "]\n")
		f.Add("promotion = [\"" + rep("%{for x in y}", n) + rep("%{endfor}", n) + "\"]\n")
		f.Add("promotion = [<<EOT\n" + rep("{", n) + "\nEOT\n]\n# " + rep("[", n) + "\n")
		f.Add(rep("rule \"r\" {\n", n) + rep("}\n", n))
		f.Add("promotion = [1" + rep(" + 1", n) + "]\n")
		f.Add("promotion = a" + rep("[b]", n) + "\n")
	}

	f.Fuzz(func(t *testing.T, src string) {
		cfg, err := Parse([]byte(src), "fuzz.hcl", knownRules)
		if err != nil {
			var cerr *Error
			if !errors.As(err, &cerr) {
				t.Fatalf("error is %T, want *Error", err)
			}
			if cfg != nil {
				t.Fatal("config returned with an error")
			}
			if len(cerr.Diagnostics) == 0 {
				t.Fatal("error without diagnostics")
			}
			if strings.Count(err.Error(), "\n")+1 != len(cerr.Diagnostics) {
				t.Fatalf("Error() line count does not match diagnostics:\n%s", err)
			}
			if werr := cerr.WriteText(io.Discard); werr != nil {
				t.Fatalf("WriteText: %v", werr)
			}
			return
		}
		// Whatever was accepted must be usable without surprises.
		for _, e := range cfg.Environments {
			cfg.Environment(e.Name)
			cfg.Aliases(e.Name)
			if got := cfg.Lockfile(e.Name); got != e.Lockfile {
				t.Fatalf("Lockfile(%q) = %q, want %q", e.Name, got, e.Lockfile)
			}
			if (e.Lockfile == "") != (e.LockfileRange == hcl.Range{}) {
				t.Fatalf("lockfile %q accepted with range %v", e.Lockfile, e.LockfileRange)
			}
		}
		for _, ed := range cfg.ExpectDifferences {
			if len(ed.Resources) == 0 || len(ed.Attributes) == 0 || strings.TrimSpace(ed.Reason) == "" {
				t.Fatalf("incomplete expect_difference accepted: %+v", ed)
			}
			for _, p := range ed.Resources {
				p.Match(p.String())
			}
			for _, p := range ed.Attributes {
				if !p.Match(strings.Split(p.String(), ".")) && !strings.Contains(p.String(), "*") {
					t.Fatalf("path pattern %q does not match itself", p)
				}
			}
		}
		for _, w := range cfg.Waivers {
			if w.Owner == "" || w.ExpiresText == "" || w.Rule == "" {
				t.Fatalf("incomplete waiver accepted: %+v", w)
			}
			w.Expired(time.Now())
		}
	})
}

func FuzzAddressPattern(f *testing.F) {
	for _, s := range []string{
		"module.app.aws_instance.web[*]", `aws_s3_bucket.logs["a.b"]`, `a["\u00e9\"$${x}"].b[12]`,
		"*.*", "a..b", `a["`, "web_*[0]",
	} {
		f.Add(s, s)
	}
	f.Fuzz(func(t *testing.T, pattern, address string) {
		p, err := ParseAddressPattern(pattern)
		if err != nil {
			return
		}
		p.Match(address)
		if !strings.Contains(pattern, "*") && !p.Match(pattern) {
			t.Fatalf("literal pattern %q does not match itself", pattern)
		}
	})
}
