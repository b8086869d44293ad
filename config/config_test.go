package config

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/hcl/v2"
)

const example = `environment "staging" {}
environment "production" {
  aliases = ["prod"]
}
promotion = ["staging", "production"]          # default: the order of --env flags

expect_difference "sizing" {
  resources  = ["module.app.aws_instance.web[*]"]  # address globs: * within a step, [*] any index
  attributes = ["instance_type", "tags.Size"]      # dot paths; * matches one step
  reason     = "production runs larger instances"
}

only_in "production" {
  resources = ["aws_shield_protection.*"]
  reason    = "DDoS protection is a production-only purchase"
}

waiver "db-engine-upgrade" {
  rule      = "attribute-divergence"
  resources = ["aws_db_instance.main"]
  reason    = "engine upgrade rolling out, staging first"
  owner     = "team-data"
  expires   = "2027-01-31"
}
`

var knownRules = Options{KnownRules: []string{"attribute-divergence", "missing-resource", "count-divergence"}}

func TestParseExample(t *testing.T) {
	cfg, err := Parse([]byte(example), "lockstep.hcl", knownRules)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}

	// Ranges are checked separately, as line/column strings, so the struct
	// comparison below is not tied to byte offsets.
	ranges := []struct {
		name string
		got  hcl.Range
		want string
	}{
		{"environment staging", cfg.Environments[0].Range, "lockstep.hcl:1,1-22"},
		{"environment production", cfg.Environments[1].Range, "lockstep.hcl:2,1-25"},
		{"promotion", cfg.PromotionRange, "lockstep.hcl:5,1-38"},
		{"expect_difference", cfg.ExpectDifferences[0].Range, "lockstep.hcl:7,1-27"},
		{"only_in", cfg.OnlyIn[0].Range, "lockstep.hcl:13,1-21"},
		{"waiver", cfg.Waivers[0].Range, "lockstep.hcl:18,1-27"},
		{"waiver rule", cfg.Waivers[0].RuleRange, "lockstep.hcl:19,15-37"},
	}
	for _, r := range ranges {
		if got := r.got.String(); got != r.want {
			t.Errorf("%s range = %s, want %s", r.name, got, r.want)
		}
	}

	cfg.PromotionRange = hcl.Range{}
	for i := range cfg.Environments {
		cfg.Environments[i].Range = hcl.Range{}
	}
	cfg.ExpectDifferences[0].Range = hcl.Range{}
	cfg.OnlyIn[0].Range = hcl.Range{}
	cfg.Waivers[0].Range, cfg.Waivers[0].RuleRange = hcl.Range{}, hcl.Range{}

	want := &Config{
		Filename: "lockstep.hcl",
		Environments: []Environment{
			{Name: "staging"},
			{Name: "production", Aliases: []string{"prod"}},
		},
		Promotion: []string{"staging", "production"},
		ExpectDifferences: []ExpectDifference{{
			Name:       "sizing",
			Resources:  []AddressPattern{mustAddress("module.app.aws_instance.web[*]")},
			Attributes: []PathPattern{mustPath("instance_type"), mustPath("tags.Size")},
			Reason:     "production runs larger instances",
		}},
		OnlyIn: []OnlyIn{{
			Environment: "production",
			Resources:   []AddressPattern{mustAddress("aws_shield_protection.*")},
			Reason:      "DDoS protection is a production-only purchase",
		}},
		Waivers: []Waiver{{
			Name:        "db-engine-upgrade",
			Rule:        "attribute-divergence",
			Reason:      "engine upgrade rolling out, staging first",
			Owner:       "team-data",
			Resources:   []AddressPattern{mustAddress("aws_db_instance.main")},
			Expires:     time.Date(2027, 1, 31, 0, 0, 0, 0, time.UTC),
			ExpiresText: "2027-01-31",
		}},
	}
	if !reflect.DeepEqual(cfg, want) {
		t.Errorf("Parse mismatch\n got: %+v\nwant: %+v", cfg, want)
	}
}

func TestParseMinimal(t *testing.T) {
	tests := []struct {
		name  string
		src   string
		opts  Options
		check func(t *testing.T, c *Config)
	}{
		{"empty file", "", Options{}, func(t *testing.T, c *Config) {
			if c.Environments != nil || c.Promotion != nil || c.Waivers != nil {
				t.Errorf("want empty config, got %+v", c)
			}
		}},
		{"promotion unset is nil", `environment "a" {}`, Options{}, func(t *testing.T, c *Config) {
			if c.Promotion != nil {
				t.Errorf("Promotion = %#v, want nil", c.Promotion)
			}
		}},
		{"promotion without environments is taken as written", `promotion = ["x", "y"]`, Options{}, func(t *testing.T, c *Config) {
			if !reflect.DeepEqual(c.Promotion, []string{"x", "y"}) {
				t.Errorf("Promotion = %#v", c.Promotion)
			}
		}},
		{"aliases resolve in promotion and only_in", `
environment "staging" {}
environment "production" { aliases = ["prod", "live"] }
promotion = ["staging", "prod"]
only_in "live" {
  resources = ["a.b"]
  reason    = "r"
}`, Options{}, func(t *testing.T, c *Config) {
			if !reflect.DeepEqual(c.Promotion, []string{"staging", "production"}) {
				t.Errorf("Promotion = %#v", c.Promotion)
			}
			if c.OnlyIn[0].Environment != "production" {
				t.Errorf("OnlyIn env = %q", c.OnlyIn[0].Environment)
			}
		}},
		{"waiver without resources covers everything", `
waiver "w" {
  rule    = "anything"
  reason  = "r"
  owner   = "o"
  expires = "2030-12-31"
}`, Options{}, func(t *testing.T, c *Config) {
			if w := c.Waivers[0]; w.Resources != nil || w.Rule != "anything" {
				t.Errorf("waiver = %+v", w)
			}
		}},
		{"only_in needs no declared environments", `
only_in "anything" {
  resources = ["a.b"]
  reason    = "r"
}`, Options{}, func(t *testing.T, c *Config) {
			if c.OnlyIn[0].Environment != "anything" {
				t.Errorf("OnlyIn = %+v", c.OnlyIn)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Parse([]byte(tt.src), "lockstep.hcl", tt.opts)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			tt.check(t, c)
		})
	}
}

func TestParseErrors(t *testing.T) {
	const waiverTail = `
  reason  = "r"
  owner   = "o"
  expires = "2027-01-31"
}`
	tests := []struct {
		name string
		src  string
		// want lists every diagnostic as "LINE:COL: SUMMARY", in order.
		want []string
		// detail, when set, must appear in the rendered error.
		detail string
	}{
		{
			name: "syntax error",
			src:  "environment \"a\" {\n  aliases = [\"x\"\n}\n",
			want: []string{"3:1: Missing item separator"},
		},
		{
			name:   "unknown block",
			src:    "environment \"a\" {}\nenvironments \"b\" {}\n",
			want:   []string{"2:1: Unsupported block type"},
			detail: `Did you mean "environment"?`,
		},
		{
			name:   "unknown top-level argument",
			src:    "promotions = [\"a\"]\n",
			want:   []string{"1:1: Unsupported argument"},
			detail: `Did you mean "promotion"?`,
		},
		{
			name: "unknown argument in block",
			src:  "environment \"a\" {\n  alias = [\"x\"]\n}\n",
			want: []string{"2:3: Unsupported argument"},
		},
		{
			name: "nested block not allowed",
			src:  "environment \"a\" {\n  foo {}\n}\n",
			want: []string{"2:3: Unsupported block type"},
		},
		{
			name: "missing label",
			src:  "environment {}\n",
			want: []string{"1:13: Missing name for environment"},
		},
		{
			name: "extra label",
			src:  "environment \"a\" \"b\" {}\n",
			want: []string{"1:17: Extraneous label for environment"},
		},
		{
			name: "empty label",
			src:  "environment \"\" {}\n",
			want: []string{"1:13: Invalid environment name"},
		},
		{
			name:   "wrong type for list",
			src:    "environment \"a\" {\n  aliases = \"x\"\n}\n",
			want:   []string{"2:13: Incorrect attribute value type"},
			detail: "a list of strings is required",
		},
		{
			name: "wrong type for string",
			src:  "waiver \"w\" {\n  rule = [\"x\"]" + waiverTail,
			want: []string{"2:10: Incorrect attribute value type"},
		},
		{
			name: "wrong element type",
			src:  "environment \"a\" {\n  aliases = [\"x\", {a = 1}]\n}\n",
			want: []string{"2:19: Incorrect attribute value type"},
		},
		{
			name: "null element",
			src:  "environment \"a\" {\n  aliases = [\"x\", null]\n}\n",
			want: []string{"2:19: Invalid value"},
		},
		{
			name: "null argument",
			src:  "promotion = null\n",
			want: []string{"1:13: Invalid value"},
		},
		{
			name: "variables not allowed",
			src:  "promotion = [var.a]\n",
			want: []string{"1:14: Variables not allowed"},
		},
		{
			name: "functions not allowed",
			src:  "promotion = concat([\"a\"])\n",
			want: []string{"1:13: Function calls not allowed"},
		},
		{
			name:   "bad date",
			src:    "waiver \"w\" {\n  rule    = \"attribute-divergence\"\n  reason  = \"r\"\n  owner   = \"o\"\n  expires = \"2027-02-30\"\n}\n",
			want:   []string{"5:13: Invalid expiry date"},
			detail: "YYYY-MM-DD",
		},
		{
			name: "date in wrong format",
			src:  "waiver \"w\" {\n  rule    = \"attribute-divergence\"\n  reason  = \"r\"\n  owner   = \"o\"\n  expires = \"31/01/2027\"\n}\n",
			want: []string{"5:13: Invalid expiry date"},
		},
		{
			name:   "unknown rule with suggestion",
			src:    "waiver \"w\" {\n  rule = \"atribute-divergence\"" + waiverTail,
			want:   []string{"2:10: Unknown rule"},
			detail: `Did you mean "attribute-divergence"?`,
		},
		{
			name:   "unknown rule without close match",
			src:    "waiver \"w\" {\n  rule = \"zzz\"" + waiverTail,
			want:   []string{"2:10: Unknown rule"},
			detail: `Known: "attribute-divergence", "count-divergence", "missing-resource".`,
		},
		{
			name:   "promotion names undeclared environment",
			src:    "environment \"staging\" {}\nenvironment \"production\" {}\npromotion = [\"staging\", \"prodution\"]\n",
			want:   []string{"3:25: Undeclared environment in promotion"},
			detail: `Did you mean "production"?`,
		},
		{
			name: "promotion repeats an environment via alias",
			src:  "environment \"production\" {\n  aliases = [\"prod\"]\n}\npromotion = [\"production\", \"prod\"]\n",
			want: []string{"4:28: Duplicate environment in promotion"},
		},
		{
			name: "empty promotion",
			src:  "promotion = []\n",
			want: []string{"1:13: Empty promotion"},
		},
		{
			name: "only_in names undeclared environment",
			src:  "environment \"production\" {}\nonly_in \"prodution\" {\n  resources = [\"a.b\"]\n  reason    = \"r\"\n}\n",
			want: []string{"2:9: Undeclared environment"},
		},
		{
			name:   "duplicate environment",
			src:    "environment \"a\" {}\nenvironment \"b\" {}\nenvironment \"a\" {}\n",
			want:   []string{"3:1: Duplicate environment"},
			detail: "already declared on line 1",
		},
		{
			name: "duplicate expect_difference",
			src: "expect_difference \"x\" {\n  resources = [\"a.b\"]\n  attributes = [\"c\"]\n  reason = \"r\"\n}\n" +
				"expect_difference \"x\" {\n  resources = [\"a.b\"]\n  attributes = [\"c\"]\n  reason = \"r\"\n}\n",
			want: []string{"6:1: Duplicate expect_difference"},
		},
		{
			name: "duplicate waiver",
			src: "waiver \"w\" {\n  rule = \"missing-resource\"" + waiverTail + "\n" +
				"waiver \"w\" {\n  rule = \"missing-resource\"" + waiverTail + "\n",
			want: []string{"7:1: Duplicate waiver"},
		},
		{
			name: "alias shared by two environments",
			src:  "environment \"a\" {\n  aliases = [\"x\"]\n}\nenvironment \"b\" {\n  aliases = [\"x\"]\n}\n",
			want: []string{"4:1: Ambiguous alias"},
		},
		{
			name: "alias equal to another environment's name",
			src:  "environment \"a\" {}\nenvironment \"b\" {\n  aliases = [\"a\"]\n}\n",
			want: []string{"2:1: Ambiguous alias"},
		},
		{
			name:   "empty lockfile",
			src:    "environment \"a\" {\n  lockfile = \"\"\n}\n",
			want:   []string{"2:14: Empty lockfile"},
			detail: "Terraform dependency lock file",
		},
		{
			name: "blank lockfile",
			src:  "environment \"a\" {\n  lockfile = \"  \"\n}\n",
			want: []string{"2:14: Empty lockfile"},
		},
		{
			name:   "wrong type for lockfile",
			src:    "environment \"a\" {\n  lockfile = [\"a.lock.hcl\"]\n}\n",
			want:   []string{"2:14: Incorrect attribute value type"},
			detail: `argument "lockfile": a string is required`,
		},
		{
			name: "null lockfile",
			src:  "environment \"a\" {\n  lockfile = null\n}\n",
			want: []string{"2:14: Invalid value"},
		},
		{
			name:   "empty source",
			src:    "environment \"a\" {\n  source = \"\"\n}\n",
			want:   []string{"2:12: Empty source"},
			detail: "Terraform configuration",
		},
		{
			name:   "wrong type for source",
			src:    "environment \"a\" {\n  source = [\"envs/a\"]\n}\n",
			want:   []string{"2:12: Incorrect attribute value type"},
			detail: `argument "source": a string is required`,
		},
		{
			name: "empty alias",
			src:  "environment \"a\" {\n  aliases = [\"\"]\n}\n",
			want: []string{"2:14: Invalid alias"},
		},
		{
			name: "empty reason on expect_difference",
			src:  "expect_difference \"x\" {\n  resources  = [\"a.b\"]\n  attributes = [\"c\"]\n  reason     = \"  \"\n}\n",
			want: []string{"4:16: Empty reason"},
		},
		{
			name: "empty reason on only_in",
			src:  "only_in \"p\" {\n  resources = [\"a.b\"]\n  reason    = \"\"\n}\n",
			want: []string{"3:15: Empty reason"},
		},
		{
			name:   "missing reason on only_in",
			src:    "only_in \"p\" {\n  resources = [\"a.b\"]\n}\n",
			want:   []string{"1:1: Missing required argument"},
			detail: `"reason"`,
		},
		{
			name: "empty reason on waiver",
			src:  "waiver \"w\" {\n  rule    = \"missing-resource\"\n  reason  = \"\"\n  owner   = \"o\"\n  expires = \"2027-01-31\"\n}\n",
			want: []string{"3:13: Empty reason"},
		},
		{
			name:   "missing owner and expires on waiver",
			src:    "\nwaiver \"w\" {\n  rule   = \"missing-resource\"\n  reason = \"r\"\n}\n",
			want:   []string{"2:1: Missing required argument", "2:1: Missing required argument"},
			detail: `"expires"`,
		},
		{
			name: "empty owner",
			src:  "waiver \"w\" {\n  rule    = \"missing-resource\"\n  reason  = \"r\"\n  owner   = \" \"\n  expires = \"2027-01-31\"\n}\n",
			want: []string{"4:13: Empty owner"},
		},
		{
			name:   "missing rule",
			src:    "waiver \"w\" {" + waiverTail,
			want:   []string{"1:1: Missing required argument"},
			detail: `"rule"`,
		},
		{
			name: "missing resources and attributes on expect_difference",
			src:  "expect_difference \"x\" {\n  reason = \"r\"\n}\n",
			want: []string{"1:1: Missing required argument", "1:1: Missing required argument"},
		},
		{
			name: "empty resource list",
			src:  "only_in \"p\" {\n  resources = []\n  reason    = \"r\"\n}\n",
			want: []string{"2:15: Empty resource list"},
		},
		{
			// An empty list must not read as a waiver without resources,
			// which covers every address.
			name:   "empty waiver resource list",
			src:    "waiver \"w\" {\n  rule = \"attribute-divergence\"\n  resources = []\n" + waiverTail,
			want:   []string{"3:15: Empty resource list"},
			detail: "leave the argument out",
		},
		{
			name: "empty attribute list",
			src:  "expect_difference \"x\" {\n  resources  = [\"a.b\"]\n  attributes = []\n  reason     = \"r\"\n}\n",
			want: []string{"3:16: Empty attribute list"},
		},
		{
			name:   "bad address pattern points at the element",
			src:    "only_in \"p\" {\n  resources = [\"a.b\", \"a..b\", \"c[x]\"]\n  reason    = \"r\"\n}\n",
			want:   []string{"2:23: Invalid resource address pattern", "2:31: Invalid resource address pattern"},
			detail: `"a..b": empty step`,
		},
		{
			name: "bad attribute pattern",
			src:  "expect_difference \"x\" {\n  resources  = [\"a.b\"]\n  attributes = [\"tags.\"]\n  reason     = \"r\"\n}\n",
			want: []string{"3:17: Invalid attribute path pattern"},
		},
		{
			name: "all problems are reported, in source order",
			src: "bogus = 1\nenvironment \"a\" {}\nenvironment \"a\" {}\n" +
				"waiver \"w\" {\n  rule = \"nope\"\n  reason = \"\"\n}\n",
			want: []string{
				"1:1: Unsupported argument",
				"3:1: Duplicate environment",
				"4:1: Missing required argument",
				"4:1: Missing required argument",
				"5:10: Unknown rule",
				"6:12: Empty reason",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := Parse([]byte(tt.src), "lockstep.hcl", knownRules)
			if err == nil {
				t.Fatalf("Parse succeeded, want errors %q", tt.want)
			}
			if cfg != nil {
				t.Errorf("Parse returned a config alongside an error")
			}
			var cerr *Error
			if !errors.As(err, &cerr) {
				t.Fatalf("error is %T, want *config.Error", err)
			}
			var got []string
			for _, d := range cerr.Diagnostics {
				if d.Subject == nil {
					t.Errorf("diagnostic %q has no subject", d.Summary)
					continue
				}
				got = append(got, fmt.Sprintf("%d:%d: %s", d.Subject.Start.Line, d.Subject.Start.Column, d.Summary))
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("diagnostics:\n got %q\nwant %q\nfull error:\n%v", got, tt.want, err)
			}
			lines := strings.Split(err.Error(), "\n")
			if len(lines) != len(cerr.Diagnostics) {
				t.Errorf("Error() has %d lines for %d diagnostics", len(lines), len(cerr.Diagnostics))
			}
			for i, w := range tt.want {
				if i < len(lines) && !strings.HasPrefix(lines[i], "lockstep.hcl:"+w) {
					t.Errorf("Error() line %d = %q, want prefix %q", i, lines[i], "lockstep.hcl:"+w)
				}
			}
			if tt.detail != "" && !strings.Contains(err.Error(), tt.detail) {
				t.Errorf("Error() = %q, want it to contain %q", err, tt.detail)
			}
		})
	}
}

func TestUnknownRuleSkippedWithoutKnownRules(t *testing.T) {
	src := "waiver \"w\" {\n  rule = \"made-up\"\n  reason = \"r\"\n  owner = \"o\"\n  expires = \"2027-01-31\"\n}\n"
	if _, err := Parse([]byte(src), "x.hcl", Options{}); err != nil {
		t.Fatalf("nil KnownRules should skip the check: %v", err)
	}
	_, err := Parse([]byte(src), "x.hcl", Options{KnownRules: []string{}})
	if err == nil || !strings.Contains(err.Error(), "x.hcl:2:10: Unknown rule") {
		t.Fatalf("empty KnownRules should reject every rule, got %v", err)
	}
}

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

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "lockstep.hcl")
	if err := os.WriteFile(path, []byte(example), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := Load(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Filename != path || len(cfg.Environments) != 2 {
		t.Errorf("Load: got %+v", cfg)
	}

	missing := filepath.Join(dir, "nope.hcl")
	_, err = Load(missing, Options{})
	if err == nil || !strings.Contains(err.Error(), missing) || !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Load(missing) = %v; want an error naming the file and wrapping fs.ErrNotExist", err)
	}

	if err := os.WriteFile(path, []byte("bogus = 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = Load(path, Options{})
	if err == nil || !strings.HasPrefix(err.Error(), path+":1:1: Unsupported argument") {
		t.Errorf("Load(bad) = %v", err)
	}
}

func TestEnvironmentLookup(t *testing.T) {
	cfg, err := Parse([]byte(example), "lockstep.hcl", Options{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		query, wantName string
		wantAliases     []string
	}{
		{"production", "production", []string{"prod"}},
		{"prod", "production", []string{"prod"}},
		{"staging", "staging", nil},
		{"qa", "", nil},
	}
	for _, tt := range tests {
		e := cfg.Environment(tt.query)
		switch {
		case tt.wantName == "" && e != nil:
			t.Errorf("Environment(%q) = %+v, want nil", tt.query, e)
		case tt.wantName != "" && (e == nil || e.Name != tt.wantName):
			t.Errorf("Environment(%q) = %+v, want %q", tt.query, e, tt.wantName)
		}
		if got := cfg.Aliases(tt.query); !reflect.DeepEqual(got, tt.wantAliases) {
			t.Errorf("Aliases(%q) = %#v, want %#v", tt.query, got, tt.wantAliases)
		}
	}
	var nilCfg *Config
	if nilCfg.Environment("x") != nil || nilCfg.Aliases("x") != nil {
		t.Error("nil *Config lookups should return nil")
	}
}

func TestLockfile(t *testing.T) {
	abs := filepath.Join(t.TempDir(), "prod", ".terraform.lock.hcl")
	src := fmt.Sprintf(`environment "staging" {
  lockfile = "staging/.terraform.lock.hcl"
}
environment "production" {
  aliases  = ["prod"]
  lockfile = %q
}
environment "dev" {}
`, abs)
	tests := []struct {
		name, filename, query string
		want                  string
		// wantRange is the value's range as "LINE,COL-COL", or "" for none.
		wantRange string
	}{
		{"relative to a bare file name", "lockstep.hcl", "staging",
			filepath.Join("staging", ".terraform.lock.hcl"), "2,14-43"},
		{"relative to the config's directory", filepath.Join("repo", "infra", "lockstep.hcl"), "staging",
			filepath.Join("repo", "infra", "staging", ".terraform.lock.hcl"), "2,14-43"},
		{"relative to an absolute config path", filepath.Join(filepath.Dir(abs), "lockstep.hcl"), "staging",
			filepath.Join(filepath.Dir(abs), "staging", ".terraform.lock.hcl"), "2,14-43"},
		{"absolute path kept", filepath.Join("repo", "lockstep.hcl"), "production", abs, fmt.Sprintf("6,14-%d", 14+len(fmt.Sprintf("%q", abs)))},
		{"alias lookup", "lockstep.hcl", "prod", abs, fmt.Sprintf("6,14-%d", 14+len(fmt.Sprintf("%q", abs)))},
		{"not set", "lockstep.hcl", "dev", "", ""},
		{"undeclared environment", "lockstep.hcl", "qa", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := Parse([]byte(src), tt.filename, Options{})
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if got := cfg.Lockfile(tt.query); got != tt.want {
				t.Errorf("Lockfile(%q) = %q, want %q", tt.query, got, tt.want)
			}
			e := cfg.Environment(tt.query)
			if e == nil {
				return
			}
			if e.Lockfile != tt.want {
				t.Errorf("Environment(%q).Lockfile = %q, want %q", tt.query, e.Lockfile, tt.want)
			}
			gotRange := ""
			if e.LockfileRange != (hcl.Range{}) {
				r := e.LockfileRange
				if r.Filename != tt.filename {
					t.Errorf("LockfileRange.Filename = %q, want %q", r.Filename, tt.filename)
				}
				gotRange = fmt.Sprintf("%d,%d-%d", r.Start.Line, r.Start.Column, r.End.Column)
			}
			if gotRange != tt.wantRange {
				t.Errorf("LockfileRange = %q, want %q", gotRange, tt.wantRange)
			}
		})
	}
	var nilCfg *Config
	if nilCfg.Lockfile("x") != "" {
		t.Error(`nil *Config Lockfile should return ""`)
	}
}

func TestSource(t *testing.T) {
	src := `environment "staging" {
  source = "envs/staging"
}
environment "production" {
  aliases = ["prod"]
  source  = "/srv/infra/production"
}
environment "dev" {}
`
	tests := []struct {
		name, filename, query, want string
	}{
		{"relative to a bare file name", "lockstep.hcl", "staging", filepath.Join("envs", "staging")},
		{"relative to the config's directory", filepath.Join("infra", "lockstep.hcl"), "staging", filepath.Join("infra", "envs", "staging")},
		{"absolute path kept", "lockstep.hcl", "production", "/srv/infra/production"},
		{"alias lookup", "lockstep.hcl", "prod", "/srv/infra/production"},
		{"not set", "lockstep.hcl", "dev", ""},
		{"undeclared environment", "lockstep.hcl", "qa", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := Parse([]byte(src), tt.filename, Options{})
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if got := cfg.Source(tt.query); got != tt.want {
				t.Errorf("Source(%q) = %q, want %q", tt.query, got, tt.want)
			}
			if e := cfg.Environment(tt.query); e != nil && tt.want != "" && e.SourceRange.Start.Line == 0 {
				t.Errorf("Environment(%q).SourceRange is not set", tt.query)
			}
		})
	}
	var nilCfg *Config
	if nilCfg.Source("x") != "" {
		t.Error(`nil *Config Source should return ""`)
	}
}

func TestWaiverExpired(t *testing.T) {
	w := Waiver{Expires: time.Date(2027, 1, 31, 0, 0, 0, 0, time.UTC)}
	tokyo := time.FixedZone("JST", 9*3600)
	tests := []struct {
		today time.Time
		want  bool
	}{
		{time.Date(2027, 1, 30, 23, 59, 0, 0, time.UTC), false},
		{time.Date(2027, 1, 31, 0, 0, 0, 0, time.UTC), false},
		{time.Date(2027, 1, 31, 23, 59, 59, 999, time.UTC), false},
		{time.Date(2027, 2, 1, 0, 0, 0, 0, time.UTC), true},
		{time.Date(2028, 1, 1, 0, 0, 0, 0, time.UTC), true},
		// 08:00 on Feb 1 in Tokyo is still Jan 31 in UTC.
		{time.Date(2027, 2, 1, 8, 0, 0, 0, tokyo), false},
		{time.Date(2027, 2, 1, 9, 0, 0, 0, tokyo), true},
	}
	for _, tt := range tests {
		if got := w.Expired(tt.today); got != tt.want {
			t.Errorf("Expired(%v) = %v, want %v", tt.today, got, tt.want)
		}
	}
}

// mustAddress and mustPath parse patterns written in the tests, where a bad
// pattern is a mistake in the test.
func mustAddress(s string) AddressPattern {
	p, err := ParseAddressPattern(s)
	if err != nil {
		panic(err)
	}
	return p
}

func mustPath(s string) PathPattern {
	p, err := ParsePathPattern(s)
	if err != nil {
		panic(err)
	}
	return p
}
