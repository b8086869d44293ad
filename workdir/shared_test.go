package workdir

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/lockstep-iac/lockstep/parser"
	"github.com/lockstep-iac/lockstep/snapshot"
)

// TestSharedBlockMarkedInOne: four resources that real Terraform wrote with
// the same nested block, one of them marking a number in it sensitive. The
// parser decodes a small value met again once and shares it between the
// resources; the sensitive mark must hide the number in the marked resource
// only, whether the state is read raw (the directory's state file) or as
// `terraform show -json` gives it. A number is not hidden wherever it
// repeats, as a secret string is, so the other three keep it.
func TestSharedBlockMarkedInOne(t *testing.T) {
	bin := terraformBin(t)
	const config = `
resource "terraform_data" "a_open" { input = { block = [{ n = 4242, s = "plain" }] } }
resource "terraform_data" "b_open" { input = { block = [{ n = 4242, s = "plain" }] } }
resource "terraform_data" "c_marked" { input = { block = [{ n = sensitive(4242), s = "plain" }] } }
resource "terraform_data" "d_open" { input = { block = [{ n = 4242, s = "plain" }] } }
`
	dir := workspacesDir(t, bin, config, nil, "", defaultWorkspace)
	raw, err := Read(context.Background(), Spec{Env: "production", Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	shown := tf(t, bin, dir, nil, "show", "-json")
	for name, read := range map[string]func() (*parser.Decoded, error){
		"raw state": func() (*parser.Decoded, error) { return decodeResult(raw, []byte("k")) },
		"show -json": func() (*parser.Decoded, error) {
			return parser.Decode("show.json", []byte(shown), parser.Options{Key: []byte("k")})
		},
	} {
		t.Run(name, func(t *testing.T) {
			d, err := read()
			if err != nil {
				t.Fatal(err)
			}
			snap := d.Snapshot(parser.Union(d))
			block := func(res string) *snapshot.Attributes {
				r := snap.Resources["terraform_data."+res]
				if r == nil || r.Now == nil {
					t.Fatalf("no %s in %v", res, snap.Resources)
				}
				in, _ := r.Now.Values.Value("input").(*snapshot.Attributes)
				list, _ := in.Value("block").([]any)
				if len(list) != 1 {
					t.Fatalf("%s input = %#v", res, snapshot.Plain(r.Now.Values.Value("input")))
				}
				return list[0].(*snapshot.Attributes)
			}
			for _, res := range []string{"a_open", "b_open", "d_open"} {
				if n := block(res).Value("n"); n != json.Number("4242") {
					t.Errorf("%s block n = %#v, want 4242 in clear", res, n)
				}
			}
			if _, hidden := block("c_marked").Value("n").(snapshot.Sensitive); !hidden {
				t.Errorf("c_marked block n = %#v, want it hidden", block("c_marked").Value("n"))
			}
			if block("c_marked").Value("s") != "plain" {
				t.Errorf("c_marked block s = %#v", block("c_marked").Value("s"))
			}
			// The test is about shared values: b_open's block was kept when
			// met the second time, and d_open's is that same value.
			if block("b_open") != block("d_open") {
				t.Error("the repeated block was not shared")
			}
		})
	}
}
