package config

import (
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
