package config

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

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
