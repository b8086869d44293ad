package address

import (
	"errors"
	"reflect"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in   string
		want Address
	}{
		{"aws_instance.web", Address{Resource: &Resource{Type: "aws_instance", Name: "web"}}},
		{"aws_instance.web[2]", Address{Resource: &Resource{Type: "aws_instance", Name: "web", Key: Key{IntKey, "2"}}}},
		{"data.aws_ami.x", Address{Resource: &Resource{Mode: Data, Type: "aws_ami", Name: "x"}}},
		{"ephemeral.random_password.p", Address{Resource: &Resource{Mode: Ephemeral, Type: "random_password", Name: "p"}}},
		{`module.net["eu.west"].module.sg[0].data.aws_vpc.main`, Address{
			Module:   []ModuleCall{{Name: "net", Key: Key{StringKey, "eu.west"}}, {Name: "sg", Key: Key{IntKey, "0"}}},
			Resource: &Resource{Mode: Data, Type: "aws_vpc", Name: "main"},
		}},
		{`terraform_data.svc["a\"].b"]`, Address{Resource: &Resource{Type: "terraform_data", Name: "svc", Key: Key{StringKey, `a"].b`}}}},
		{"module.app", Address{Module: []ModuleCall{{Name: "app"}}}},
		{`module.app["x"].module.db`, Address{Module: []ModuleCall{{Name: "app", Key: Key{StringKey, "x"}}, {Name: "db"}}}},
		// A module call may be named like a keyword; only the position counts.
		{"module.data.aws_s3_bucket.b", Address{Module: []ModuleCall{{Name: "data"}}, Resource: &Resource{Type: "aws_s3_bucket", Name: "b"}}},
	}
	for _, tt := range tests {
		got, err := Parse(tt.in)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.in, err)
			continue
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Parse(%q) = %+v, want %+v", tt.in, got, tt.want)
		}
		if s := got.String(); s != tt.in {
			t.Errorf("Parse(%q).String() = %q", tt.in, s)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		in     string
		kind   ErrorKind
		offset int
	}{
		{"", Empty, 0},
		{"module", NotAnAddress, 0},
		{"module.a.module", NotAnAddress, 9},
		{"aws_instance", NotAnAddress, 0},
		{"a.b.c", NotAnAddress, 0},
		{"data.x", NotAnAddress, 0},
		{"ephemeral.x", NotAnAddress, 0},
		{"data.x.y.z", NotAnAddress, 0},
		{"aws_instance[0].web", NotAnAddress, 0},
		{"data[0].a.b", NotAnAddress, 0},
		{"data.a[0].b", NotAnAddress, 5},
		{"module[0].a.x.y", NotAnAddress, 0},
		{"x.y.module.a", NotAnAddress, 0},
		{`module.net["eu`, UnterminatedString, 14},
		{"a.b[*]", Wildcard, 3},
	}
	for _, tt := range tests {
		_, err := Parse(tt.in)
		var se *SyntaxError
		if !errors.As(err, &se) || se.Kind != tt.kind || se.Offset != tt.offset {
			t.Errorf("Parse(%q) = %v (%+v), want kind %d at %d", tt.in, err, se, tt.kind, tt.offset)
		}
	}
}

func TestModulePath(t *testing.T) {
	tests := []struct {
		in, want string
		fails    bool
	}{
		{"aws_instance.web", "", false},
		{"module.app.aws_instance.web", "module.app", false},
		{`module.net["eu.west"].module.sg[0].data.aws_vpc.main`, `module.net["eu.west"].module.sg[0]`, false},
		{`module.a["x\u00e9"].t.n`, `module.a["x\u00e9"]`, false}, // as written, not re-rendered
		{"module.app", "module.app", false},
		{`module.a.t.n["\x01"]`, "module.a", false}, // the resource part is not read
		{"module.a.module", "module.a", false},
		{`module.a["x`, "", true},
		{"module.a.", "", true},
		{"module..x", "", true},
		{`"x".y`, "", true},
	}
	for _, tt := range tests {
		got, err := ModulePath(tt.in)
		if got != tt.want || (err != nil) != tt.fails {
			t.Errorf("ModulePath(%q) = %q, %v; want %q, fails %v", tt.in, got, err, tt.want, tt.fails)
		}
	}
}
