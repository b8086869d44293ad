package parser

import (
	"encoding/json"
	"testing"
)

// TestInstanceKeys: a raw state's and a Terraform 0.12 state's instance keys
// are written as Terraform writes them in plans and newer states (HCL
// quoting: $${ and \u0001, not Go's), so the same instance has one address
// whichever kind of input it came from.
func TestInstanceKeys(t *testing.T) {
	for _, tc := range []struct {
		key  any
		want string
	}{
		{json.Number("3"), `terraform_data.x[3]`},
		{"eu.west", `terraform_data.x["eu.west"]`},
		{`a"b\c`, `terraform_data.x["a\"b\\c"]`},
		{"${var}", `terraform_data.x["$${var}"]`},
		{"%{if}", `terraform_data.x["%%{if}"]`},
		{"\x01", `terraform_data.x["\u0001"]`},
		{"é", `terraform_data.x["é"]`},
	} {
		raw, err := rawAddress(&rawResource{Mode: "managed", Type: "terraform_data", Name: "x"}, &rawInstance{IndexKey: tc.key})
		if err != nil || raw != tc.want {
			t.Errorf("rawAddress(key %q) = %q, %v; want %q", tc.key, raw, err, tc.want)
		}
		rel := absoluteAddress("", &stateResource{Address: "terraform_data.x", Index: tc.key})
		if rel != tc.want {
			t.Errorf("absoluteAddress(key %q) = %q, want %q", tc.key, rel, tc.want)
		}
	}
}

func TestModuleOf(t *testing.T) {
	for addr, want := range map[string]string{
		`terraform_data.x`:                            "",
		`module.net.terraform_data.x`:                 "module.net",
		`module.net["eu.west"].module.sg[0].data.a.b`: `module.net["eu.west"].module.sg[0]`,
		`module.net["a].b"].terraform_data.x["c.d"]`:  `module.net["a].b"]`,
		`module.net["unterminated`:                    "",
	} {
		if got := moduleOf(addr); got != want {
			t.Errorf("moduleOf(%q) = %q, want %q", addr, got, want)
		}
	}
}
