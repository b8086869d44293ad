package baseline

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/lockstep-iac/lockstep/report"
)

func diverges(addr string, paths ...string) report.Finding {
	f := report.Finding{Rule: ruleDivergence, Address: addr}
	for _, p := range paths {
		f.Details.Attributes = append(f.Details.Attributes, report.AttributeDetail{Path: p})
	}
	return f
}

func missing(addr string, present ...string) report.Finding {
	f := report.Finding{Rule: ruleMissing, Address: addr, Details: report.Details{Present: present, Addresses: map[string]string{}}}
	for _, e := range present {
		f.Details.Addresses[e] = addr
	}
	return f
}

// TestGroup: findings become one block per resource type and attribute
// path, however many resources share it, and one only_in per environment
// and type; what must be fixed is never declared.
func TestGroup(t *testing.T) {
	var forty []report.Finding
	for i := range 40 {
		forty = append(forty, diverges(fmt.Sprintf("aws_instance.web[%d]", i), "instance_type"))
	}
	diff := func(label string, resources []string, attr string, covers ...string) Declaration {
		return Declaration{Kind: "expect_difference", Label: label, Resources: resources, Attributes: []string{attr}, Covers: covers}
	}
	for _, tc := range []struct {
		name     string
		findings []report.Finding
		want     []Declaration
	}{
		{"forty instance sizes are one block", forty[:3],
			[]Declaration{diff("aws_instance: instance_type", []string{"aws_instance.*"}, "instance_type", "aws_instance.web[0]", "aws_instance.web[1]", "aws_instance.web[2]")}},
		{"paths: list index is *, a hidden key ends the path", []report.Finding{diverges("aws_security_group.web", "ingress.0.cidr_blocks.1", "tags.(sensitive).x")},
			[]Declaration{
				diff("aws_security_group: ingress.*.cidr_blocks.*", []string{"aws_security_group.*"}, "ingress.*.cidr_blocks.*", "aws_security_group.web"),
				diff("aws_security_group: tags", []string{"aws_security_group.*"}, "tags", "aws_security_group.web"),
			}},
		{"modules keep their place, keys become [*]; data sources", []report.Finding{
			diverges(`module.app["api"].module.db.aws_db_instance.main`, "instance_class"),
			diverges("aws_db_instance.legacy", "instance_class"),
			diverges("data.aws_ami.base", "image_id")},
			[]Declaration{
				diff("aws_db_instance: instance_class", []string{"aws_db_instance.*", "module.app[*].module.db.aws_db_instance.*"}, "instance_class", "aws_db_instance.legacy", `module.app["api"].module.db.aws_db_instance.main`),
				diff("data.aws_ami: image_id", []string{"data.aws_ami.*"}, "image_id", "data.aws_ami.base"),
			}},
		{"only_in: exact addresses, per environment in --env order", []report.Finding{
			missing("aws_shield_protection.web", "production"), missing("aws_instance.canary", "staging", "production"), missing("aws_instance.debug", "staging")},
			[]Declaration{
				{Kind: "only_in", Label: "staging", Resources: []string{"aws_instance.canary", "aws_instance.debug"}, Covers: []string{"aws_instance.canary", "aws_instance.debug"}},
				{Kind: "only_in", Label: "production", Resources: []string{"aws_instance.canary"}, Covers: []string{"aws_instance.canary"}},
				{Kind: "only_in", Label: "production", Resources: []string{"aws_shield_protection.web"}, Covers: []string{"aws_shield_protection.web"}},
			}},
		{"never declared: waived, secrets, references, one-sided changes", []report.Finding{
			{Rule: ruleDivergence, Address: "aws_instance.a", Waived: true, Details: report.Details{Attributes: []report.AttributeDetail{{Path: "ami"}}}},
			{Rule: "shared-secret", Address: "aws_db_instance.main"},
			{Rule: "cross-env-reference", Address: "aws_instance.b"},
			{Rule: "one-sided-change", Address: "aws_instance.c"},
			diverges("aws_instance.d", "", "a..b", "*")},
			nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := group(tc.findings, []string{"dev", "staging", "production"})
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got\n%+v\nwant\n%+v", got, tc.want)
			}
		})
	}
}
