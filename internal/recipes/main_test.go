package recipes

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// repoRoot is the module root: the recipes refer to files there.
var repoRoot string

// binDir holds the lockstep binary built from this checkout by TestMain; it
// goes first on the PATH of every command the recipes run, as the recipes
// expect `lockstep` on PATH.
var binDir string

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	repoRoot = root
	dir, err := os.MkdirTemp("", "lockstep-recipes-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	defer os.RemoveAll(dir)
	binDir = dir
	build := exec.Command("go", "build", "-o", filepath.Join(dir, "lockstep"), "./cmd/lockstep")
	build.Dir = repoRoot
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "build lockstep: %v\n%s", err, out)
		return 2
	}
	return m.Run()
}

// inCI reports whether a missing tool must fail the tests instead of
// skipping them: CI promises every tool the recipes need.
func inCI() bool { return os.Getenv("CI") != "" }

// requireTool finds name on PATH (or at fallback, when given); missing, it
// fails in CI and skips elsewhere, with how to install it.
func requireTool(t *testing.T, name, fallback, install string) string {
	t.Helper()
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	if fallback != "" {
		if _, err := os.Stat(fallback); err == nil {
			return fallback
		}
	}
	msg := name + " not found on PATH; " + install
	if inCI() {
		t.Fatal(msg + " (CI is set, so this test must not be skipped)")
	}
	t.Skip(msg)
	return ""
}

// requireTerraform finds terraform on PATH or where .ci/run installs it.
func requireTerraform(t *testing.T) string {
	t.Helper()
	fallback := ""
	if out, err := exec.Command("go", "env", "GOPATH").Output(); err == nil {
		fallback = filepath.Join(strings.TrimSpace(string(out)), "bin", "terraform")
	}
	return requireTool(t, "terraform", fallback, ".ci/run installs it (go install github.com/hashicorp/terraform@v1.5.7)")
}

// commandEnv is the environment of the commands the recipes run: this
// process's, with lockstep and terraform first on PATH, Terraform made
// non-interactive and quiet, and nothing inherited that would change which
// workspace or state Terraform uses. extra entries (KEY=VALUE) come last and
// win.
func commandEnv(terraform string, extra ...string) []string {
	drop := map[string]bool{"PATH": true, "TF_WORKSPACE": true, "TF_DATA_DIR": true, "TF_CLI_ARGS": true}
	var env []string
	for _, kv := range os.Environ() {
		k, v, _ := strings.Cut(kv, "=")
		if drop[k] || strings.HasPrefix(k, "TF_CLI_ARGS_") || strings.HasPrefix(k, "TF_VAR_") {
			continue
		}
		// A CLI config path pointing at a missing file only makes every
		// command print a warning.
		if k == "TF_CLI_CONFIG_FILE" {
			if _, err := os.Stat(v); err != nil {
				continue
			}
		}
		env = append(env, kv)
	}
	path := binDir
	if terraform != "" {
		path += string(os.PathListSeparator) + filepath.Dir(terraform)
	}
	env = append(env,
		"PATH="+path+string(os.PathListSeparator)+os.Getenv("PATH"),
		"TF_IN_AUTOMATION=1", "TF_INPUT=0", "CHECKPOINT_DISABLE=1")
	return append(env, extra...)
}

// result is what a command did: its combined output and exit code.
type result struct {
	out  string
	code int
}

// execIn runs name with args in dir and env, and returns its output and exit
// code; failing to start it at all fails the test.
func execIn(t *testing.T, dir string, env []string, name string, args ...string) result {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = env
	var buf bytes.Buffer
	cmd.Stdout = &buf
	cmd.Stderr = &buf
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return result{buf.String(), 0}
	case errors.As(err, &exit):
		return result{buf.String(), exit.ExitCode()}
	default:
		t.Fatalf("run %s %s in %s: %v", name, strings.Join(args, " "), dir, err)
		return result{}
	}
}

// mustExec is execIn for setup commands: anything but exit 0 fails the test.
func mustExec(t *testing.T, dir string, env []string, name string, args ...string) string {
	t.Helper()
	r := execIn(t, dir, env, name, args...)
	if r.code != 0 {
		t.Fatalf("%s %s in %s: exit %d\n%s", name, strings.Join(args, " "), dir, r.code, r.out)
	}
	return r.out
}

// recipeMarker precedes each code block of docs/pre-apply.md that the tests
// run: <!-- recipe: NAME --> on its own line, then the fenced block.
var recipeMarker = regexp.MustCompile("(?m)^<!-- recipe: ([a-z0-9-]+) -->\n```[a-z]*\n")

// recipe returns the code block marked NAME in docs/file, exactly as written.
func recipe(t *testing.T, file, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(repoRoot, "docs", file))
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	var found []string
	for _, m := range recipeMarker.FindAllStringSubmatchIndex(doc, -1) {
		if doc[m[2]:m[3]] != name {
			continue
		}
		body := doc[m[1]:]
		end := strings.Index(body, "\n```\n")
		if end < 0 {
			t.Fatalf("docs/%s: recipe %s: the code block is not closed", file, name)
		}
		found = append(found, body[:end+1])
	}
	if len(found) != 1 {
		t.Fatalf("docs/%s: %d code blocks marked <!-- recipe: %s -->, want 1", file, len(found), name)
	}
	return found[0]
}

// copyTree copies the regular files under src to dst, leaving out paths for
// which skip (given the slash-separated path relative to src) is true.
func copyTree(t *testing.T, src, dst string, skip func(rel string) bool) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		if rel != "." && skip != nil && skip(filepath.ToSlash(rel)) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
	if err != nil {
		t.Fatalf("copy %s to %s: %v", src, dst, err)
	}
}

// writeFile writes content to dir/name, creating directories.
func writeFile(t *testing.T, dir, name, content string) {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// terraformConfig copies the fixtures' Terraform configuration
// (testdata/terraform, only terraform_data: no provider, no network) into
// dir, without the scenarios' var files.
func terraformConfig(t *testing.T, dir string) {
	t.Helper()
	copyTree(t, filepath.Join(repoRoot, "testdata", "terraform"), dir, func(rel string) bool {
		return rel == "vars" || rel == ".terraform" || strings.HasPrefix(rel, "terraform.tfstate")
	})
}

// tfvars is a var file for testdata/terraform: environment env with database
// engine engine. The password differs per environment, as it should.
func tfvars(env, engine string) string {
	return fmt.Sprintf("env            = %q\nengine_version = %q\ndb_password    = %q\n", env, engine, "recipe-"+env+"-password")
}

// engineVersion reads terraform_data.db's engine version from workspace's
// current state in dir (empty when the workspace has no such resource).
func engineVersion(t *testing.T, dir string, env []string, workspace string) string {
	t.Helper()
	out := mustExec(t, dir, append(env, "TF_WORKSPACE="+workspace), "terraform", "show", "-json")
	var state struct {
		Values struct {
			RootModule struct {
				Resources []struct {
					Address string `json:"address"`
					Values  struct {
						Input struct {
							EngineVersion string `json:"engine_version"`
						} `json:"input"`
					} `json:"values"`
				} `json:"resources"`
			} `json:"root_module"`
		} `json:"values"`
	}
	if err := json.Unmarshal([]byte(out), &state); err != nil {
		t.Fatalf("terraform show -json (workspace %s): %v\n%s", workspace, err, out)
	}
	for _, r := range state.Values.RootModule.Resources {
		if r.Address == "terraform_data.db" {
			return r.Values.Input.EngineVersion
		}
	}
	return ""
}
