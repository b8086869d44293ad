package tfsource_test

import (
	"testing"
)

// TestNativeSources: blocks and attributes of .tf files, override files,
// duplicates, nested local calls, keys with dots and the fallbacks.
func TestNativeSources(t *testing.T) {
	ix := load(t, fixture)
	checkResources(t, fixture, ix, []resourceCase{
		// The override file replaces `input`; the block stays in main.tf.
		{address: "terraform_data.db", want: "main.tf:4:1-12", attrs: map[string]string{
			"input":                    "main_override.tf:2:3-4",
			"lifecycle.ignore_changes": "main.tf:9:3-11",
			"lifecycle":                "main.tf:9:3-11",
			"triggers_replace":         "",
			"":                         "",
		}},
		{address: "data.terraform_remote_state.net", want: "main.tf:14:1-19", attrs: map[string]string{
			"config.path": "main.tf:17:5-17",
		}},
		{address: "terraform_remote_state.net"},
		// Declared twice: the first file in sorted order wins.
		{address: "terraform_data.dup", want: "a_dup.tf:1:1-3"},
		// ./a calls ../b.
		{address: "module.a.terraform_data.in_a", want: "a/main.tf:5:1-21", attrs: map[string]string{
			"setting.0.value":         "a/main.tf:8:3-13",
			"dynamic":                 "",
			"ebs_block_device.0.size": "a/main.tf:15:3-17",
			"input":                   "a/main.tf:6:3-6",
		}},
		{address: "module.a.module.b.terraform_data.in_b", want: "b/main.tf:1:1-3"},
		{address: "module.a.module.b.data.terraform_remote_state.b", want: "b/main.tf:5:1-7"},
		{address: "module.a.terraform_data.in_b"},
		// Keys with dots.
		{address: `module.net["eu.west"].terraform_data.x`, want: "net/main.tf:1:1-3", attrs: map[string]string{
			"input": "net/main.tf:2:3-2",
		}},
		{address: `module.net["a\"].b"].terraform_data.x`, want: "net/main.tf:1:1-3"},
		// Not installed (registry), missing directory, cycle: the call.
		{address: "module.vpc.aws_vpc.this[0]", want: "main.tf:32:1-35", fallback: true, attrs: map[string]string{
			"source": "",
		}},
		{address: "module.vpc.module.x.data.aws_region.current", want: "main.tf:32:1-35", fallback: true},
		{address: "module.gone.terraform_data.x", want: "main.tf:37:1-39", fallback: true},
		{address: "module.self.terraform_data.db", want: "main.tf:41:1-43", fallback: true},
		{address: "module.vpc"},
		{address: "module.nope.aws_vpc.this"},
	})

	modules := []struct{ address, want string }{
		{"module.a", "main.tf:21:1-23"},
		{`module.net["eu.west"]`, "main.tf:25:1-30"},
		{"module.a.module.b", "a/main.tf:1:1-3"},
		{"module.vpc.module.x", "main.tf:32:1-35 (fallback)"},
		{"module.a.module.nope", ""},
		{"module.a.module.b.module.c", ""},
	}
	for _, c := range modules {
		b, ok := ix.Module(c.address)
		got := ""
		if ok {
			got = pos(t, fixture, b.Pos)
			if b.Fallback {
				got += " (fallback)"
			}
		}
		if got != c.want {
			t.Errorf("Module(%q) = %q, want %q", c.address, got, c.want)
		}
	}
}
