package tfsource_test

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/lockstep-iac/lockstep/internal/guard"
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

func TestFixture(t *testing.T) {
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
		// The .tf.json module call to ./b.
		{address: "module.j.terraform_data.in_b", want: "b/main.tf:1:1-3"},
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
		{"module.j", "extra.tf.json:28:10-30"},
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

// TestModulesJSON: modules.json wins over the literal source for the calls
// it lists, including nested keys; calls it does not list are followed
// locally; a listed directory that is missing falls back.
func TestModulesJSON(t *testing.T) {
	dir := write(t, map[string]string{
		"main.tf": `module "app" {
  source = "./modules/app"
}

module "new" {
  source = "./modules/new"
}

module "stale" {
  source = "example.com/x/y/z"
}
`,
		"modules/app/main.tf":    `resource "terraform_data" "wrong" {}` + "\n",
		"modules/new/main.tf":    `resource "terraform_data" "new" {}` + "\n",
		"installed/app/main.tf":  "\n" + `module "db" { source = "git::https://example.com/db.git" }` + "\n",
		"installed/app/db/db.tf": "\n\n" + `resource "terraform_data" "db" {}` + "\n",
		".terraform/modules/modules.json": `{"Modules":[{"Key":"","Source":"","Dir":"."},` +
			`{"Key":"app","Source":"./modules/app","Dir":"installed/app"},` +
			`{"Key":"app.db","Source":"git::https://example.com/db.git","Dir":"installed/app/db"},` +
			`{"Key":"stale","Source":"example.com/x/y/z","Version":"1.0.0","Dir":".terraform/modules/stale"}]}`,
	})
	ix := load(t, dir)
	checkResources(t, dir, ix, []resourceCase{
		{address: "module.app.terraform_data.wrong"},
		{address: "module.app.module.db.terraform_data.db", want: "installed/app/db/db.tf:3:1-3"},
		{address: "module.new.terraform_data.new", want: "modules/new/main.tf:1:1-1"},
		{address: "module.stale.terraform_data.x", want: "main.tf:9:1-11", fallback: true},
	})
	b, ok := ix.Module("module.app.module.db")
	if !ok || pos(t, dir, b.Pos) != "installed/app/main.tf:2:1-2" {
		t.Errorf("module.app.module.db = %+v, %v", b.Pos, ok)
	}
}

// fifoDir is a configuration directory whose main.tf is a named pipe,
// which a plain read would wait on forever.
func fifoDir(t *testing.T) string {
	dir := t.TempDir()
	if err := syscall.Mkfifo(filepath.Join(dir, "main.tf"), 0o644); err != nil {
		t.Skip("no named pipes here:", err)
	}
	return dir
}

// linkDir is a configuration directory whose zero.tf links to target.
func linkDir(t *testing.T, target string) string {
	dir := write(t, map[string]string{"main.tf": ""})
	if err := os.Symlink(target, filepath.Join(dir, "zero.tf")); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestLoadErrors(t *testing.T) {
	notDir := filepath.Join(write(t, map[string]string{"main.tf": ""}), "main.tf")
	cases := []struct {
		name string
		dir  string
		want []string
		is   error
	}{
		{name: "missing dir", dir: filepath.Join(t.TempDir(), "nope"), want: []string{"nope"}, is: fs.ErrNotExist},
		{name: "not a dir", dir: notDir, want: []string{notDir, "not a directory"}},
		{name: "empty dir", dir: t.TempDir(), want: []string{
			"no Terraform configuration (.tf files) in ",
			"; --source and environment.source name the directory you run terraform in",
		}},
		{name: "no tf files", dir: write(t, map[string]string{"README.md": "x", "modules/app/main.tf": "", ".hidden.tf": ""}),
			want: []string{"no Terraform configuration (.tf files)"}},
		{name: "syntax error", dir: write(t, map[string]string{"main.tf": "resource \"a\" \"b\" {\n  x = \n}\n"}),
			want: []string{"main.tf:2:7: Invalid expression"}},
		{name: "json syntax error", dir: write(t, map[string]string{"main.tf.json": "{\n  \"resource\": ,\n}\n"}),
			want: []string{"main.tf.json:2:"}},
		{name: "nesting too deep", dir: write(t, map[string]string{
			"main.tf": "locals {\n  x = " + strings.Repeat("[", guard.MaxDepth) + strings.Repeat("]", guard.MaxDepth) + "\n}\n",
		}), want: []string{"main.tf:2:", "nested more than 512 levels deep"}},
		{name: "json nesting too deep", dir: write(t, map[string]string{
			"main.tf.json": `{"locals": {"x": ` + strings.Repeat("[", guard.MaxDepth) + strings.Repeat("]", guard.MaxDepth) + "}}\n",
		}), want: []string{"main.tf.json:1:", "nested more than 512 levels deep"}},
		{name: "a FIFO", dir: fifoDir(t), want: []string{"main.tf", "not a regular file (a named pipe)"}},
		{name: "a link to /dev/zero", dir: linkDir(t, "/dev/zero"), want: []string{"zero.tf", "not a regular file (a character device)"}},
		{name: "a dangling link", dir: linkDir(t, "nowhere"), want: []string{"zero.tf", "a symbolic link to nowhere, which does not exist"}},
		{name: "syntax error in a module", dir: write(t, map[string]string{
			"main.tf":   `module "m" { source = "./m" }`,
			"m/main.tf": "\n\nresource {",
		}), want: []string{filepath.Join("m", "main.tf") + ":3:"}},
		{name: "malformed modules.json", dir: write(t, map[string]string{
			"main.tf":                         "",
			".terraform/modules/modules.json": `{"Modules": {"Key": "x"}}`,
		}), want: []string{"malformed ", filepath.Join(".terraform", "modules", "modules.json")}},
		{name: "modules.json not JSON", dir: write(t, map[string]string{
			"main.tf":                         "",
			".terraform/modules/modules.json": `{"Modules": [`,
		}), want: []string{"malformed ", "modules.json"}},
		{name: "modules.json without Modules", dir: write(t, map[string]string{
			"main.tf":                         "",
			".terraform/modules/modules.json": `{}`,
		}), want: []string{"malformed ", "modules.json"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ix, err := tfsource.Load(c.dir)
			if err == nil {
				t.Fatal("no error")
			}
			if ix != nil {
				t.Error("an index returned with the error")
			}
			msg := err.Error()
			for _, w := range c.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error %q does not contain %q", msg, w)
				}
			}
			if strings.Contains(msg, "\n") {
				t.Errorf("error %q spans several lines", msg)
			}
			if c.is != nil && !errors.Is(err, c.is) {
				t.Errorf("error %q is not %v", msg, c.is)
			}
		})
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
