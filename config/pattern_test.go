package config

import (
	"strings"
	"testing"
)

func TestAddressPatternMatch(t *testing.T) {
	tests := []struct {
		pattern string
		address string
		want    bool
	}{
		// The examples from the config contract.
		{"module.app.aws_instance.web[*]", "module.app.aws_instance.web[0]", true},
		{"module.app.aws_instance.web[*]", "module.app.aws_instance.web", true},
		{"module.app.aws_instance.web[*]", `module.app.aws_instance.web["a"]`, true},
		{"aws_shield_protection.*", "aws_shield_protection.main", true},
		{"aws_shield_protection.*", "aws_shield_protection.main[0]", true},
		{"module.app[*].x.y", `module.app["eu"].x.y`, true},
		{"module.app[*].x.y", "module.app.x.y", true},

		// Exact addresses.
		{"aws_db_instance.main", "aws_db_instance.main", true},
		{"aws_db_instance.main", "aws_db_instance.main[0]", false},
		{"aws_db_instance.main", "aws_db_instance.other", false},
		{"data.aws_ami.x", "data.aws_ami.x", true},
		{"aws_ami.x", "data.aws_ami.x", false},

		// Exact indexes.
		{"aws_instance.web[3]", "aws_instance.web[3]", true},
		{"aws_instance.web[3]", "aws_instance.web[4]", false},
		{"aws_instance.web[3]", `aws_instance.web["3"]`, false},
		{"aws_instance.web[3]", "aws_instance.web", false},
		{`module.app["eu"].aws_instance.web[3]`, `module.app["eu"].aws_instance.web[3]`, true},
		{`module.app["eu"].aws_instance.web[3]`, `module.app["us"].aws_instance.web[3]`, false},
		{`module.app["eu"].x.y`, "module.app.x.y", false},

		// Index keys containing dots, brackets and escaped quotes.
		{`aws_s3_bucket.logs["a.b"]`, `aws_s3_bucket.logs["a.b"]`, true},
		{`aws_s3_bucket.*`, `aws_s3_bucket.logs["a.b"]`, true},
		{`aws_s3_bucket.logs[*]`, `aws_s3_bucket.logs["a.b]c"]`, true},
		{`aws_s3_bucket.logs["a\"b"]`, `aws_s3_bucket.logs["a\"b"]`, true},
		{`aws_s3_bucket.logs["a\"b"]`, `aws_s3_bucket.logs["a\"c"]`, false},
		{`x.y["\u00e9"]`, `x.y["é"]`, true},
		{`x.y["$${a}"]`, `x.y["${a}"]`, true},

		// Globs within a name.
		{"aws_instance.web_*", "aws_instance.web_1", true},
		{"aws_instance.web_*", "aws_instance.web_", true},
		{"aws_instance.web_*", "aws_instance.db_1", false},
		{"aws_instance.web_*", "aws_instance.web_1[0]", false},
		{"aws_instance.web_*[*]", "aws_instance.web_1[0]", true},
		{"aws_*.main", "aws_db_instance.main", true},
		{"*_instance.*", "aws_instance.main[2]", true},
		{"*[0].x", "foo[0].x", true},
		{"*[0].x", "foo[1].x", false},
		{"*[0].x", "foo.x", false},

		// Step counts must be equal.
		{"*", "aws_instance.web", false},
		{"*.*", "aws_instance.web", true},
		{"*.*", "module.a.aws_instance.web", false},
		{"module.app.*", "module.app.aws_instance.web", false},
		{"module.*.*.*", `module.app["x"].aws_instance.web[1]`, true},

		// Unparseable addresses match nothing.
		{"*.*", "a..b", false},
		{"*.*", "", false},
		{"*.*", `a.b["x`, false},
	}
	for _, tt := range tests {
		p, err := ParseAddressPattern(tt.pattern)
		if err != nil {
			t.Errorf("ParseAddressPattern(%q): %v", tt.pattern, err)
			continue
		}
		if got := p.Match(tt.address); got != tt.want {
			t.Errorf("%q.Match(%q) = %v, want %v", tt.pattern, tt.address, got, tt.want)
		}
		if p.String() != tt.pattern {
			t.Errorf("String() = %q, want %q", p.String(), tt.pattern)
		}
	}
	if (AddressPattern{}).Match("a.b") {
		t.Error("zero AddressPattern matched")
	}
}

func TestParseAddressPatternErrors(t *testing.T) {
	tests := []struct {
		pattern string
		want    string
	}{
		{"", "empty"},
		{"a..b", "empty step"},
		{".a", "empty step"},
		{"a.", "ends with a dot"},
		{"[0].a", "no name"},
		{"a[", "unterminated index"},
		{"a[0", "not closed"},
		{"a[x]", "must be a number, a quoted string or *"},
		{"a[-1]", "must be a number"},
		{`a["x]`, "unterminated string"},
		{`a["x"`, "not closed"},
		{`a["\q"]`, "unknown escape"},
		{`a["\u12"]`, "escape"},
		{"a[0]b", "after index"},
		{"a[0][1]", "after index"},
		{"a]b", "unexpected"},
		{"a b", "unexpected"},
		{`a"b`, "unexpected"},
	}
	for _, tt := range tests {
		_, err := ParseAddressPattern(tt.pattern)
		if err == nil {
			t.Errorf("ParseAddressPattern(%q) succeeded, want error containing %q", tt.pattern, tt.want)
			continue
		}
		if !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParseAddressPattern(%q) = %v, want it to contain %q", tt.pattern, err, tt.want)
		}
	}
}

func TestPathPatternMatch(t *testing.T) {
	tests := []struct {
		pattern string
		path    string // dot-joined for brevity; "" is the empty path
		want    bool
	}{
		{"instance_type", "instance_type", true},
		{"instance_type", "ami", false},
		{"tags.Size", "tags.Size", true},
		{"tags.Size", "tags.Name", false},
		{"tags.Size", "tags", false},
		{"tags", "tags.Size", true},
		{"tags", "tags", true},
		{"tags", "tags_all.Size", false},
		{"ingress.0.from_port", "ingress.0.from_port", true},
		{"ingress.0.from_port", "ingress.1.from_port", false},
		{"input.*.port", "input.3.port", true},
		{"input.*.port", "input.web.port", true},
		{"input.*.port", "input.port", false},
		{"input.*.port", "input.3.port.extra", true},
		{"input.*", "input", false},
		{"*", "anything", true},
		{"*", "anything.below", true},
		{"*", "", false},
		{"tag_*", "tag_x", true},
		{"tag_*", "tags", false},
	}
	for _, tt := range tests {
		p, err := ParsePathPattern(tt.pattern)
		if err != nil {
			t.Errorf("ParsePathPattern(%q): %v", tt.pattern, err)
			continue
		}
		var path []string
		if tt.path != "" {
			path = strings.Split(tt.path, ".")
		}
		if got := p.Match(path); got != tt.want {
			t.Errorf("%q.Match(%q) = %v, want %v", tt.pattern, path, got, tt.want)
		}
		if p.String() != tt.pattern {
			t.Errorf("String() = %q, want %q", p.String(), tt.pattern)
		}
	}
	if (PathPattern{}).Match([]string{"a"}) {
		t.Error("zero PathPattern matched")
	}
}

func TestParsePathPatternErrors(t *testing.T) {
	for _, s := range []string{"", ".", "a..b", ".a", "a."} {
		if _, err := ParsePathPattern(s); err == nil {
			t.Errorf("ParsePathPattern(%q) succeeded, want error", s)
		}
	}
}

func TestGlobMatch(t *testing.T) {
	tests := []struct {
		pattern, name string
		want          bool
	}{
		{"", "", true},
		{"", "a", false},
		{"*", "", true},
		{"a*b*c", "aXbYc", true},
		{"a*b*c", "abc", true},
		{"a*b*c", "acb", false},
		{"**", "x", true},
		{"a?", "ab", false},
		{"a?", "a?", true},
		{"[ab]", "[ab]", true},
		{strings.Repeat("*a", 50) + "b", strings.Repeat("a", 5000), false},
	}
	for _, tt := range tests {
		if got := globMatch(tt.pattern, tt.name); got != tt.want {
			t.Errorf("globMatch(%q, %q) = %v, want %v", tt.pattern, tt.name, got, tt.want)
		}
	}
}
