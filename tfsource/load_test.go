package tfsource_test

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/lockstep-iac/lockstep/internal/guard"
	"github.com/lockstep-iac/lockstep/tfsource"
)

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
