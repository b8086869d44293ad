package workdir

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/lockstep-iac/lockstep/parser"
)

// TestLocalBackend: a directory with three workspaces on the local backend
// reads the same three ways, through `terraform state pull`, from the state
// files with Terraform present (what lockstep does) and without it, into
// identical bytes and identical snapshots, with provenance saying which
// way was used; the directory, its selected workspace included, is left
// untouched and nothing is left in the temporary directory.
func TestLocalBackend(t *testing.T) {
	bin := terraformBin(t)
	tmp := privateTemp(t)
	dir := workspacesDir(t, bin, mainTF, nil, "qa", "staging", "production", "qa")
	before := tree(t, dir)
	key := []byte("k")
	for _, ws := range []string{"staging", "production", "qa"} {
		t.Run(ws, func(t *testing.T) {
			pulled, err := Read(context.Background(), Spec{Env: ws, Dir: dir, Terraform: bin, Pull: true})
			if err != nil {
				t.Fatal(err)
			}
			present, err := Read(context.Background(), Spec{Env: ws, Dir: dir, Terraform: bin})
			if err != nil {
				t.Fatal(err)
			}
			absent, err := Read(context.Background(), Spec{Env: ws, Dir: dir})
			if err != nil {
				t.Fatal(err)
			}
			byHand := tf(t, bin, dir, []string{"TF_WORKSPACE=" + ws}, "state", "pull")
			if string(pulled.Data)+"\n" != byHand { // state pull ends with a newline
				t.Errorf("Read differs from `terraform state pull` run by hand")
			}
			wantFile := filepath.Join(dir, "terraform.tfstate.d", ws, "terraform.tfstate")
			checkProvenance(t, pulled.Provenance, Provenance{Kind: "workspace", Dir: dir, Workspace: ws, Backend: "local", Via: "terraform state pull", Tool: "terraform"}, true)
			if present.Provenance.Tool != "terraform" {
				t.Errorf("tool %q with Terraform present, want terraform", present.Provenance.Tool)
			}
			present.Provenance.Tool = ""
			for _, direct := range []*Result{present, absent} {
				if !bytes.Equal(pulled.Data, direct.Data) {
					t.Errorf("state pull and the state file differ:\n%s\n%s", pulled.Data, direct.Data)
				}
				if a, b := snapshotJSON(t, pulled, key), snapshotJSON(t, direct, key); a != b {
					t.Errorf("snapshots differ:\n%s\n%s", a, b)
				}
				checkProvenance(t, direct.Provenance, Provenance{Kind: "workspace", Dir: dir, Workspace: ws, Backend: "local", Via: "state file", StateFile: wantFile}, false)
				if pulled.Provenance.Lineage != direct.Provenance.Lineage || pulled.Provenance.Serial != direct.Provenance.Serial || !pulled.Provenance.HasSerial {
					t.Errorf("identity differs: %+v vs %+v", pulled.Provenance, direct.Provenance)
				}
			}
			for _, r := range []*Result{pulled, present} {
				if want := ws + " (workspace " + ws + " of " + dir + ")"; r.Name != want {
					t.Errorf("name %q, want %q", r.Name, want)
				}
			}
		})
	}
	if after := tree(t, dir); after != before {
		t.Errorf("the directory changed:\n%s\n---\n%s", before, after)
	}
	if left := entries(t, tmp); len(left) != 0 {
		t.Errorf("left behind in the temporary directory: %v", left)
	}
}

// TestLocalThroughTerraform: with Terraform present, a local state file
// Terraform must transform is read through `terraform state pull` after
// all: one of format version 3, which Terraform upgrades to 4 (read
// directly, the parser refuses it as too old), and a directory whose .tf
// files now declare another backend, or other settings, than `terraform
// init` recorded, which Terraform refuses until it is initialised again,
// instead of lockstep reading a stale local file.
func TestLocalThroughTerraform(t *testing.T) {
	bin := terraformBin(t)
	t.Run("format version 3", func(t *testing.T) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte("# state only\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		v3 := `{"version":3,"terraform_version":"0.11.14","serial":7,"lineage":"0c5e2b8e-0000-0000-0000-000000000003","modules":[{"path":["root"],"outputs":{},"resources":{},"depends_on":[]}]}`
		if err := os.WriteFile(filepath.Join(dir, "terraform.tfstate"), []byte(v3), 0o644); err != nil {
			t.Fatal(err)
		}
		res, err := Read(context.Background(), Spec{Env: "production", Dir: dir, Terraform: bin})
		if err != nil {
			t.Fatal(err)
		}
		if res.Provenance.Via != "terraform state pull" || !currentFormat(res.Data) {
			t.Errorf("read via %q, format 4: %v", res.Provenance.Via, currentFormat(res.Data))
		}
		if res.Provenance.Serial != 7 {
			t.Errorf("serial %d, want 7", res.Provenance.Serial)
		}
		if _, err := Read(context.Background(), Spec{Env: "production", Dir: dir}); err != nil {
			t.Fatalf("without Terraform the file is still read (the parser refuses it): %v", err)
		}
	})
	local := mainTF + "\nterraform {\n  backend \"local\" {}\n}\n"
	for _, tc := range []struct{ name, before, after string }{
		{"backend added since init", mainTF, mainTF + "\nterraform {\n  backend \"pg\" {}\n}\n"},
		{"backend block removed since init", local, mainTF},
		{"backend settings changed since init", local, mainTF + "\nterraform {\n  backend \"local\" { path = \"elsewhere.tfstate\" }\n}\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := workspacesDir(t, bin, tc.before, nil, "", defaultWorkspace)
			if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(tc.after), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := Read(context.Background(), Spec{Env: "production", Dir: dir, Terraform: bin})
			var ni *NotInitializedError
			if !errors.As(err, &ni) {
				t.Fatalf("got %v, want the directory not initialised", err)
			}
		})
	}
}

// TestDirectoryPerEnvironment: a directory whose only workspace is default
// is read as the environment, whatever its name, with kind "directory";
// also for a local backend with its own path and workspace_dir, whose
// file is found from the settings `terraform init` recorded.
func TestDirectoryPerEnvironment(t *testing.T) {
	bin := terraformBin(t)
	custom := mainTF + `
terraform {
  backend "local" {
    path          = "state/main.tfstate"
    workspace_dir = "state/ws"
  }
}
`
	for _, tc := range []struct {
		name, config, file string
	}{
		{"implicit local", mainTF, "terraform.tfstate"},
		{"backend local with path", custom, "state/main.tfstate"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := workspacesDir(t, bin, tc.config, nil, "", defaultWorkspace)
			for _, terraform := range []string{bin, ""} {
				res, err := Read(context.Background(), Spec{Env: "production", Dir: dir, Terraform: terraform})
				if err != nil {
					t.Fatal(err)
				}
				if res.Provenance.Kind != "directory" || res.Provenance.Workspace != defaultWorkspace || res.Provenance.Backend != "local" {
					t.Errorf("provenance %+v", res.Provenance)
				}
				// Terraform present or not, the file is read.
				if res.Provenance.Via != "state file" || res.Provenance.StateFile != filepath.Join(dir, tc.file) {
					t.Errorf("read via %s %s, want the state file %s", res.Provenance.Via, res.Provenance.StateFile, tc.file)
				}
				if want := "production (directory " + dir + ")"; res.Name != want {
					t.Errorf("name %q, want %q", res.Name, want)
				}
			}
		})
	}
}

func checkProvenance(t *testing.T, got, want Provenance, terraform bool) {
	t.Helper()
	if terraform != (got.Terraform != "") {
		t.Errorf("Terraform version %q", got.Terraform)
	}
	got.Terraform, got.Serial, got.HasSerial, got.Lineage = "", 0, false, ""
	if !reflect.DeepEqual(got, want) {
		t.Errorf("provenance\n got %+v\nwant %+v", got, want)
	}
}

func snapshotJSON(t *testing.T, r *Result, key []byte) string {
	t.Helper()
	d, err := decodeResult(r, key)
	if err != nil {
		t.Fatal(err)
	}
	snap := d.Snapshot(parser.Union(d))
	snap.Source = ""
	out, err := json.Marshal(snap)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

// decodeResult decodes a read as check does: from its state file when the
// read left it in place (Result.Path), else from the bytes read.
func decodeResult(r *Result, key []byte) (*parser.Decoded, error) {
	if r.Path != "" {
		return parser.DecodeFileAs(r.Name, r.Path, parser.Options{Key: key})
	}
	return parser.Decode(r.Name, r.Data, parser.Options{Key: key})
}
