package config

import (
	"strings"
	"testing"
)

// TestDeepAddressPatterns: ** in an address glob stands for any number of
// whole steps (none included), wherever it is written.
func TestDeepAddressPatterns(t *testing.T) {
	tests := []struct {
		pattern, address string
		want             bool
	}{
		// At the start: any module depth, the root included.
		{"**.aws_instance.web", "aws_instance.web", true},
		{"**.aws_instance.web", "module.a.aws_instance.web", true},
		{"**.aws_instance.web", `module.a["x"].module.b[0].aws_instance.web`, true},
		{"**.aws_instance.web", "module.a.aws_instance.web[0]", false},
		{"**.aws_instance.web[*]", "module.a.aws_instance.web[0]", true},
		{"**.aws_instance.*", "module.a.aws_instance.web[0]", true},
		{"**.aws_instance.*", "module.a.aws_db_instance.web", false},
		// In the middle.
		{"module.**.aws_instance.*", "module.app.aws_instance.web", true},
		{"module.**.aws_instance.*", `module.app["api"].module.db.aws_instance.web[3]`, true},
		{"module.**.aws_instance.*", "aws_instance.web", false},
		{"module.app.**.terraform_data.agent", "module.app.module.sidecar.terraform_data.agent", true},
		{"module.app[*].**.terraform_data.agent", `module.app["web"].module.sidecar.terraform_data.agent`, true},
		{"module.app[*].**.terraform_data.agent", `module.other["web"].module.sidecar.terraform_data.agent`, false},
		// At the end: everything inside a module.
		{"module.app.**", "module.app.aws_instance.web", true},
		{"module.app.**", "module.app.module.db.data.aws_ami.x", true},
		{"module.app.**", `module.app["x"].aws_instance.web`, false},
		{"module.app[*].**", `module.app["x"].aws_instance.web`, true},
		{"**", "aws_instance.web", true},
		// Several: each takes what the rest leaves.
		{"**.module.b.**.x.y", "module.a.module.b.module.c.x.y", true},
		{"**.module.b.**.x.y", "module.a.module.c.x.y", false},
		{"**.**.x.y", "x.y", true},
		// A quoted key with dots and stars stays one step.
		{`**.aws_s3_bucket.logs["a.b.**"]`, `module.m.aws_s3_bucket.logs["a.b.**"]`, true},
		{`**.aws_s3_bucket.logs["a.b.**"]`, `module.m.aws_s3_bucket.logs["a.b.c"]`, false},
		// Backtracking stays linear: no match, found quickly.
		{strings.Repeat("**.a.", 40) + "b", strings.TrimSuffix(strings.Repeat("a.", 2000), "."), false},
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
	}
}

// TestDeepPathPatterns: ** in an attribute path, quoted keys, and the rule
// that a path covers everything beneath it.
func TestDeepPathPatterns(t *testing.T) {
	tests := []struct {
		pattern string
		path    []string
		want    bool
	}{
		// At the start: the name at any depth, the top level included.
		{"**.security_groups", []string{"security_groups"}, true},
		{"**.security_groups", []string{"ingress", "0", "security_groups"}, true},
		{"**.security_groups", []string{"input", "network", "egress", "0", "security_groups", "1"}, true},
		{"**.security_groups", []string{"input", "security_groups_extra"}, false},
		{"**.security_groups", []string{"input", "network"}, false},
		{"**.*_groups", []string{"a", "b", "security_groups"}, true},
		// In the middle.
		{"input.**.port", []string{"input", "port"}, true},
		{"input.**.port", []string{"input", "network", "ingress", "0", "port"}, true},
		{"input.**.port", []string{"output", "network", "port"}, false},
		{"input.**.0.port", []string{"input", "a", "0", "b", "0", "port"}, true},
		// At the end: the same as the path alone, which covers what lies beneath.
		{"input.**", []string{"input"}, true},
		{"input.**", []string{"input", "a", "b"}, true},
		{"input.**", []string{"output"}, false},
		{"**", []string{"anything", "below"}, true},
		// Keys with dots: a quoted step is one literal key.
		{`input.labels."app.kubernetes.io/tier"`, []string{"input", "labels", "app.kubernetes.io/tier"}, true},
		{`input.labels."app.kubernetes.io/tier"`, []string{"input", "labels", "app.kubernetes.io/name"}, false},
		{`input.labels.app.kubernetes.io/tier`, []string{"input", "labels", "app.kubernetes.io/tier"}, false},
		{`**."app.kubernetes.io/tier"`, []string{"output", "labels", "app.kubernetes.io/tier"}, true},
		{`"a.b"`, []string{"a", "b"}, false},
		{`"a.b"`, []string{"a.b", "c"}, true},
		// Quoted steps are literal: * and ** match only themselves.
		{`tags."*"`, []string{"tags", "*"}, true},
		{`tags."*"`, []string{"tags", "Name"}, false},
		{`tags."**"`, []string{"tags", "Name"}, false},
		{`tags."**"`, []string{"tags", "**"}, true},
		{`tags."a\"b"`, []string{"tags", `a"b`}, true},
		{`tags.""`, []string{"tags", ""}, true},
		// Unquoted * still matches within one step.
		{"tags.*", []string{"tags"}, false},
		{"tags.*", []string{"tags", "a.b"}, true},
		// Linear backtracking.
		{strings.Repeat("**.a.", 40) + "b", strings.Split(strings.Repeat("a.", 2000)+"c", "."), false},
	}
	for _, tt := range tests {
		p, err := ParsePathPattern(tt.pattern)
		if err != nil {
			t.Errorf("ParsePathPattern(%q): %v", tt.pattern, err)
			continue
		}
		if got := p.Match(tt.path); got != tt.want {
			t.Errorf("%q.Match(%q) = %v, want %v", tt.pattern, tt.path, got, tt.want)
		}
	}
}

func TestDeepPatternErrors(t *testing.T) {
	tests := []struct {
		pattern, want string
		address       bool
	}{
		{"a**", "mixes ** with other characters", false},
		{"a.***", "mixes ** with other characters", false},
		{"a.**b.c", "mixes ** with other characters", false},
		{`tags."a.b`, "is not closed", false},
		{`tags."a"b`, `unexpected 'b' after the quoted key`, false},
		{`tags.a"b"`, `unexpected '"'`, false},
		{`tags."\q"`, "unknown escape", false},
		{`tags."a".`, "step 3 is empty", false},
		{"module.**[*].x.y", "mixes ** with other characters", true},
		{"module.a**.x.y", "mixes ** with other characters", true},
		{"***.x.y", "mixes ** with other characters", true},
	}
	for _, tt := range tests {
		var err error
		if tt.address {
			_, err = ParseAddressPattern(tt.pattern)
		} else {
			_, err = ParsePathPattern(tt.pattern)
		}
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("parse %q: %v, want an error containing %q", tt.pattern, err, tt.want)
		}
	}
}
