package tfsource_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lockstep-iac/lockstep/tfsource"
)

// fuzzAddresses are looked up in whatever Load returns.
var fuzzAddresses = []string{
	"terraform_data.db", `terraform_data.svc["a.b"]`, "data.terraform_remote_state.net",
	"module.a.terraform_data.in_a", "module.self.module.self.terraform_data.db",
	`module.net["eu.west"].terraform_data.x`, "module.a", "module.a.module.b", "module.", "",
}

// fuzzLoad writes src as dir/name, loads dir and exercises the index: Load
// must never panic, and its errors are one line.
func fuzzLoad(t *testing.T, name, src string) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	ix, err := tfsource.Load(dir)
	if err != nil {
		if ix != nil {
			t.Fatal("an index returned with an error")
		}
		if strings.Contains(err.Error(), "\n") {
			t.Fatalf("error spans lines: %q", err)
		}
		return
	}
	for _, a := range fuzzAddresses {
		if b, ok := ix.Resource(a); ok {
			if b.Pos.Line < 1 || b.Pos.EndLine < b.Pos.Line {
				t.Fatalf("Resource(%q): bad position %+v", a, b.Pos)
			}
			for _, p := range []string{"input", "lifecycle.x", "source", "count", ""} {
				if p, ok := b.Attribute(p); ok && (p.Line < 1 || p.EndLine < p.Line) {
					t.Fatalf("Resource(%q).Attribute: bad position %+v", a, p)
				}
			}
		}
		ix.Module(a)
	}
}

func seeds(f *testing.F, files ...string) {
	for _, fn := range files {
		data, err := os.ReadFile(fn)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(data))
	}
}

// FuzzLoad: Load never panics on any main.tf. Run it with
//
//	go test ./tfsource -run '^$' -fuzz FuzzLoad -fuzztime 30s
func FuzzLoad(f *testing.F) {
	seeds(f, shared+"/main.tf", shared+"/modules/app/main.tf", fixture+"/main.tf", fixture+"/a/main.tf")
	f.Add("")
	f.Add(`module "self" { source = "./" }` + "\n" + `module "up" { source = "../" }`)
	f.Add(`module "m" { source = "./${var.x}" }` + "\n" + `module "n" { source = null }` + "\n" + `module "o" { source = 3 }`)
	f.Add(`resource "a" {}` + "\n" + `resource "a" "b" "c" {}` + "\n" + `data {}` + "\n" + `module "x" "y" {}`)
	f.Add("resource \"a\" \"b\" {\n  dynamic {}\n  dynamic \"x\" \"y\" {}\n  x {}\n  x = 1\n}\n")
	f.Fuzz(func(t *testing.T, src string) {
		fuzzLoad(t, "main.tf", src)
	})
}

// FuzzLoadJSON: the same for main.tf.json.
func FuzzLoadJSON(f *testing.F) {
	seeds(f, fixture+"/extra.tf.json")
	f.Add(`{"resource": {"a": {"b": [{"x": 1}, {"y": 2}, null, 3]}}, "module": {"m": {"source": "./${x}"}}}`)
	f.Add(`{"module": {"s": {"source": "./"}}, "data": {"a": null}, "resource": []}`)
	f.Add(`{"resource": {"a": {"b": {"dynamic": {"x": [1, {}], "": {}}}}}}`)
	f.Add(`[]`)
	f.Fuzz(func(t *testing.T, src string) {
		fuzzLoad(t, "main.tf.json", src)
	})
}
