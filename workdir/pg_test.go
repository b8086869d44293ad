package workdir

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/lockstep-iac/lockstep/internal/pgtest"
)

const pgTF = mainTF + `
terraform {
  backend "pg" {}
}
`

// pgPassword is in the connection string the tests give Terraform
// (PG_CONN_STR); the server trusts every password, so this one must never
// reach an error message.
const pgPassword = "Pa55-w0rd-never-printed"

// pgDir applies staging and production into a throwaway PostgreSQL with the
// pg backend, and leaves production selected.
func pgDir(t *testing.T, bin string) (string, *pgtest.Server) {
	t.Helper()
	srv := pgtest.Start(t)
	t.Setenv("PG_CONN_STR", srv.ConnStr(pgPassword))
	return workspacesDir(t, bin, pgTF, nil, "production", "staging", "production"), srv
}

// TestPgBackend: both workspaces of a real pg backend read through
// Terraform into what `terraform state pull` gives by hand, with the
// backend type, serial and lineage in the provenance; the directory's
// selected workspace stays as it was, and a missing workspace is not
// created by the attempt to read it.
func TestPgBackend(t *testing.T) {
	bin := terraformBin(t)
	dir, _ := pgDir(t, bin)
	before := tree(t, dir)
	specs := []Spec{{Env: "staging", Dir: dir, Terraform: bin}, {Env: "production", Dir: dir, Terraform: bin}}
	results, errs := ReadAll(context.Background(), specs, 2)
	for i, res := range results {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		ws := specs[i].Env
		byHand := tf(t, bin, dir, []string{"TF_WORKSPACE=" + ws}, "state", "pull")
		if string(res.Data)+"\n" != byHand {
			t.Errorf("%s: Read differs from `terraform state pull` by hand", ws)
		}
		p := res.Provenance
		if p.Backend != "pg" || p.Kind != "workspace" || p.Workspace != ws || !p.HasSerial || p.Lineage == "" || p.Via != "terraform state pull" {
			t.Errorf("%s: provenance %+v", ws, p)
		}
		if !strings.Contains(string(res.Data), `"app-`+ws+`-0"`) {
			t.Errorf("%s: not the workspace's state", ws)
		}
	}
	_, err := Read(context.Background(), Spec{Env: "qa", Dir: dir, Terraform: bin})
	var missing *WorkspaceMissingError
	if !errors.As(err, &missing) || strings.Join(missing.Existing, ",") != "default,production,staging" {
		t.Fatalf("missing workspace: %v", err)
	}
	if list := tf(t, bin, dir, nil, "workspace", "list"); strings.Contains(list, "qa") {
		t.Errorf("reading a missing workspace created it:\n%s", list)
	}
	if after := tree(t, dir); after != before {
		t.Errorf("the directory changed:\n%s\n---\n%s", before, after)
	}
}
