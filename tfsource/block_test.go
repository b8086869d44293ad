package tfsource_test

import "testing"

// TestAttributePath: the longest prefix of a dot path that the source spells
// out, with index steps never matching a source key.
func TestAttributePath(t *testing.T) {
	ix := load(t, shared)
	b, ok := ix.Resource("terraform_data.db")
	if !ok {
		t.Fatal("terraform_data.db not found")
	}
	cases := []struct{ path, want string }{
		{"input.engine_version", "input.engine_version"},
		{"input.engine_version.deeper", "input.engine_version"},
		{"input.nope", "input"},
		{"input[0]", "input"},
		{`input["engine_version"]`, "input"},
		{"input", "input"},
		{"id", ""},
		{"", ""},
		{".input", ""},
	}
	for _, c := range cases {
		got, _, ok := b.AttributePath(c.path)
		if got != c.want || ok != (c.want != "") {
			t.Errorf("AttributePath(%q) = %q, %v; want %q", c.path, got, ok, c.want)
		}
	}
}
