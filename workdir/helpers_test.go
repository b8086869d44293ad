package workdir

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// terraformBin is the real Terraform the tests run; without one they are
// skipped outside CI and fail in CI, like the repository's other tests that
// need Terraform.
func terraformBin(t testing.TB) string {
	t.Helper()
	p, err := FindTerraform("", os.Getenv)
	if err != nil || p == "" {
		if os.Getenv("CI") != "" {
			t.Fatalf("terraform is required in CI: %v", err)
		}
		t.Skip("skipped: terraform not found on PATH")
	}
	return p
}

// mainTF is the configuration the tests apply: terraform_data resources
// (no provider to download, so the tests run offline) whose values depend
// on the workspace, with one sensitive value.
const mainTF = `
variable "size" {
  type    = number
  default = 2
}

resource "terraform_data" "app" {
  count = var.size
  input = { name = "app-${terraform.workspace}-${count.index}", tier = "web" }
}

resource "terraform_data" "db" {
  input = { engine = "postgres", password = sensitive("pw-${terraform.workspace}-secret") }
}
`

// tf runs Terraform by hand in dir, as a user would, with extra
// environment variables; it returns standard output.
func tf(t testing.TB, bin, dir string, env []string, args ...string) string {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	cmd.Env = append(append(os.Environ(), "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1"), env...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %s in %s: %v\n%s", bin, strings.Join(args, " "), dir, err, errOut.String())
	}
	return out.String()
}

// workspacesDir writes config (plus extra files) into a new directory,
// runs `terraform init` and applies each workspace; the default workspace
// is applied only when listed. It then selects selected, so tests can
// check that reading never changes it.
func workspacesDir(t testing.TB, bin, config string, env []string, selected string, workspaces ...string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(config), 0o644); err != nil {
		t.Fatal(err)
	}
	tf(t, bin, dir, env, "init", "-input=false")
	for _, ws := range workspaces {
		if ws != defaultWorkspace {
			tf(t, bin, dir, env, "workspace", "new", ws)
		}
		tf(t, bin, dir, env, "apply", "-auto-approve", "-input=false")
	}
	if selected != "" {
		tf(t, bin, dir, env, "workspace", "select", selected)
	}
	return dir
}

// tree lists every file under dir with its size and mode, to show that a
// read wrote nothing there.
func tree(t testing.TB, dir string) string {
	t.Helper()
	var lines []string
	err := filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		data := ""
		if fi.Mode().IsRegular() {
			b, _ := os.ReadFile(p)
			data = string(b)
		}
		rel, _ := filepath.Rel(dir, p)
		lines = append(lines, rel+" "+fi.Mode().String()+" "+data)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

// privateTemp points os.TempDir at a directory of the test's, so a test
// can check that a read leaves nothing behind there.
func privateTemp(t *testing.T) string {
	t.Helper()
	d := t.TempDir()
	t.Setenv("TMPDIR", d)
	return d
}

func entries(t testing.TB, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}
