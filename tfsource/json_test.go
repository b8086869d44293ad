package tfsource_test

import "testing"

// TestJSONSources: .tf.json blocks, their attributes (dynamic blocks by
// label, nested blocks as properties) and a .tf.json module call.
func TestJSONSources(t *testing.T) {
	ix := load(t, fixture)
	checkResources(t, fixture, ix, []resourceCase{
		// .tf.json: the header position is the body's opening brace.
		{address: "terraform_data.json", want: "extra.tf.json:4:15-17", attrs: map[string]string{
			"input.name": "extra.tf.json:5:9-7",
			"lifecycle":  "extra.tf.json:8:9-10",
			"setting":    "extra.tf.json:12:11-15",
			"dynamic":    "",
		}},
		{address: "data.external.lookup", want: "extra.tf.json:22:17-24", attrs: map[string]string{
			"program": "extra.tf.json:23:9-23",
		}},
		// The .tf.json module call to ./b.
		{address: "module.j.terraform_data.in_b", want: "b/main.tf:1:1-3"},
	})
	if b, ok := ix.Module("module.j"); !ok || pos(t, fixture, b.Pos) != "extra.tf.json:28:10-30" || b.Fallback {
		t.Errorf("Module(module.j) = %+v, %v; want extra.tf.json:28:10-30", b.Pos, ok)
	}
}
