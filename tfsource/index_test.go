package tfsource_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lockstep-iac/lockstep/tfsource"
)

// shared is the configuration every scenario in testdata/scenarios a–h is
// generated from (one root module, workspaces per environment).
const shared = "../testdata/terraform"

// fixture exercises .tf.json, data sources, nested local calls, fallbacks
// and nested blocks.
const fixture = "testdata/config"

func load(t *testing.T, dir string) *tfsource.Index {
	t.Helper()
	ix, err := tfsource.Load(dir)
	if err != nil {
		t.Fatalf("Load(%s): %v", dir, err)
	}
	return ix
}

// pos renders a position as FILE:LINE:COL-ENDLINE, with FILE relative to
// base, so that expectations stay short.
func pos(t *testing.T, base string, p tfsource.Position) string {
	t.Helper()
	rel, err := filepath.Rel(base, p.File)
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%s:%d:%d-%d", filepath.ToSlash(rel), p.Line, p.Column, p.EndLine)
}

type resourceCase struct {
	address string
	want    string // pos of the block; "" for not found
	// fallback: the address is inside a module that was not followed.
	fallback bool
	// attrs maps attribute paths to the expected pos; "" for not found.
	attrs map[string]string
}

func checkResources(t *testing.T, dir string, ix *tfsource.Index, cases []resourceCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.address, func(t *testing.T) {
			b, ok := ix.Resource(c.address)
			if c.want == "" {
				if ok {
					t.Fatalf("found at %+v, want not found", b.Pos)
				}
				return
			}
			if !ok {
				t.Fatal("not found")
			}
			if got := pos(t, dir, b.Pos); got != c.want {
				t.Errorf("position %s, want %s", got, c.want)
			}
			if b.Fallback != c.fallback {
				t.Errorf("Fallback = %v, want %v", b.Fallback, c.fallback)
			}
			for path, want := range c.attrs {
				p, ok := b.Attribute(path)
				got := ""
				if ok {
					got = pos(t, dir, p)
				}
				if got != want {
					t.Errorf("Attribute(%q) = %q, want %q", path, got, want)
				}
			}
		})
	}
}

// write creates files (path -> content) under a new temporary directory.
func write(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		fn := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(fn), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(fn, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestSharedConfiguration(t *testing.T) {
	ix := load(t, shared)
	checkResources(t, shared, ix, []resourceCase{
		{address: "terraform_data.db", want: "main.tf:8:1-17", attrs: map[string]string{
			"input.engine_version":  "main.tf:13:5-13",
			"input":                 "main.tf:11:3-16",
			"output.engine_version": "",
			"id":                    "",
		}},
		{address: `terraform_data.svc["api"]`, want: "main.tf:27:1-34", attrs: map[string]string{
			"for_each":      "main.tf:28:3-28",
			`input["port"]`: "main.tf:30:3-33",
		}},
		{address: "terraform_data.worker[1]", want: "main.tf:19:1-25", attrs: map[string]string{
			"count": "main.tf:20:3-20",
		}},
		{address: "terraform_data.app[0]", want: "main.tf:53:1-62", attrs: map[string]string{
			"input.network_id": "main.tf:60:5-60",
		}},
		{address: "module.app.terraform_data.web[0]", want: "modules/app/main.tf:13:1-20", attrs: map[string]string{
			"input.size": "modules/app/main.tf:18:5-18",
		}},
		{address: "module.app.terraform_data.web", want: "modules/app/main.tf:13:1-20"},
		{address: "terraform_data.nope"},
		{address: "module.app.terraform_data.db"},
		{address: "module.nope.terraform_data.web[0]"},
		{address: "data.terraform_data.db"},
		{address: "module.app"},
		{address: ""},
	})

	b, ok := ix.Module("module.app")
	if !ok {
		t.Fatal("module.app: not found")
	}
	if got := pos(t, shared, b.Pos); got != "main.tf:64:1-70" {
		t.Errorf("module.app at %s, want main.tf:64:1-70", got)
	}
	if p, ok := b.Attribute("source"); !ok || p.Line != 65 {
		t.Errorf("module.app source at %+v (%v), want line 65", p, ok)
	}
	if b.Fallback {
		t.Error("module.app: Fallback set")
	}
	for _, a := range []string{"module.nope", "module.app.module.db", "terraform_data.db", "module", ""} {
		if b, ok := ix.Module(a); ok {
			t.Errorf("Module(%q) found at %+v", a, b.Pos)
		}
	}
}

// TestDiamond: a module called many times (2^40 times through a diamond of
// calls) is parsed once, and neither Load nor Resource expand the calls.
func TestDiamond(t *testing.T) {
	files := map[string]string{}
	const depth = 40
	for i := 0; i < depth; i++ {
		files[fmt.Sprintf("m%d/main.tf", i)] = fmt.Sprintf("module \"x\" { source = \"../m%d\" }\nmodule \"y\" { source = \"../m%d\" }\n", i+1, i+1)
	}
	files[fmt.Sprintf("m%d/main.tf", depth)] = `resource "terraform_data" "leaf" {}`
	files["main.tf"] = `module "x" { source = "./m0" }`
	dir := write(t, files)
	ix := load(t, dir)
	addr := "module.x" + strings.Repeat(".module.y", depth) + ".terraform_data.leaf"
	if b, ok := ix.Resource(addr); !ok || b.Pos.Line != 1 {
		t.Errorf("%s: %+v %v", addr, b, ok)
	}
}
