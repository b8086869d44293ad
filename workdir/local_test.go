package workdir

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/lockstep-iac/lockstep/parser"
)

// TestLocalBackend: a directory with three workspaces on the local backend
// reads the same through Terraform and straight from the state files,
// into identical bytes and identical snapshots, with provenance saying
// which way was used; the directory, its selected workspace included, is
// left untouched and nothing is left in the temporary directory.
func TestLocalBackend(t *testing.T) {
	bin := terraformBin(t)
	tmp := privateTemp(t)
	dir := workspacesDir(t, bin, mainTF, nil, "qa", "staging", "production", "qa")
	before := tree(t, dir)
	key := []byte("k")
	for _, ws := range []string{"staging", "production", "qa"} {
		t.Run(ws, func(t *testing.T) {
			via, err := Read(context.Background(), Spec{Env: ws, Dir: dir, Terraform: bin})
			if err != nil {
				t.Fatal(err)
			}
			direct, err := Read(context.Background(), Spec{Env: ws, Dir: dir})
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(via.Data, direct.Data) {
				t.Errorf("state pull and the state file differ:\n%s\n%s", via.Data, direct.Data)
			}
			byHand := tf(t, bin, dir, []string{"TF_WORKSPACE=" + ws}, "state", "pull")
			if string(via.Data)+"\n" != byHand { // state pull ends with a newline
				t.Errorf("Read differs from `terraform state pull` run by hand")
			}
			a, b := snapshotJSON(t, via, key), snapshotJSON(t, direct, key)
			if a != b {
				t.Errorf("snapshots differ:\n%s\n%s", a, b)
			}
			wantFile := filepath.Join(dir, "terraform.tfstate.d", ws, "terraform.tfstate")
			checkProvenance(t, via.Provenance, Provenance{Kind: "workspace", Dir: dir, Workspace: ws, Backend: "local", Via: "terraform state pull", Tool: "terraform"}, true)
			checkProvenance(t, direct.Provenance, Provenance{Kind: "workspace", Dir: dir, Workspace: ws, Backend: "local", Via: "state file", StateFile: wantFile}, false)
			if via.Provenance.Lineage != direct.Provenance.Lineage || via.Provenance.Serial != direct.Provenance.Serial || !via.Provenance.HasSerial {
				t.Errorf("identity differs: %+v vs %+v", via.Provenance, direct.Provenance)
			}
			if want := ws + " (workspace " + ws + " of " + dir + ")"; via.Name != want {
				t.Errorf("name %q, want %q", via.Name, want)
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

// TestDirectoryPerEnvironment: a directory whose only workspace is default
// is read as the environment, whatever its name, with kind "directory";
// also for a local backend with its own path and workspace_dir.
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
				if terraform == "" && res.Provenance.StateFile != filepath.Join(dir, tc.file) {
					t.Errorf("read %s, want %s", res.Provenance.StateFile, tc.file)
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
	d, err := parser.Decode(r.Name, r.Data, parser.Options{Key: key})
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
