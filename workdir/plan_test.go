package workdir

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestPlan: plan mode gives what `terraform show -json` of a plan made by
// hand gives (the same workspace, var file and -var), with the plan's
// digest and the prior state's identity in the provenance; the plan file
// is gone afterwards and the directory is unchanged.
func TestPlan(t *testing.T) {
	bin := terraformBin(t)
	tmp := privateTemp(t)
	dir := workspacesDir(t, bin, mainTF, nil, "production", "staging", "production")
	if err := os.WriteFile(filepath.Join(dir, "big.tfvars"), []byte("size = 3\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	before := tree(t, dir)
	private := ""
	checkPrivate := func(st Stage) {
		if st != Planning {
			return
		}
		for _, name := range entries(t, tmp) {
			fi, err := os.Stat(filepath.Join(tmp, name))
			if err == nil && fi.Mode().Perm() == 0o700 && strings.HasPrefix(name, "lockstep-") {
				private = name
			}
		}
	}
	res, err := Read(context.Background(), Spec{Env: "staging", Dir: dir, Terraform: bin, Plan: true,
		VarFiles: []string{"big.tfvars"}, Vars: map[string]string{"size": "4"}, Progress: checkPrivate})
	if err != nil {
		t.Fatal(err)
	}
	if private == "" {
		t.Error("no private (0700) temporary directory while planning")
	}
	if left := entries(t, tmp); len(left) != 0 {
		t.Errorf("left behind in the temporary directory: %v", left)
	}
	if after := tree(t, dir); after != before {
		t.Errorf("the directory changed:\n%s\n---\n%s", before, after)
	}

	byHand := t.TempDir()
	planFile := filepath.Join(byHand, "plan.out")
	env := []string{"TF_WORKSPACE=staging"}
	tf(t, bin, dir, env, "plan", "-input=false", "-var-file=big.tfvars", "-var", "size=4", "-out="+planFile)
	want := tf(t, bin, dir, env, "show", "-json", planFile)
	if a, b := comparable(t, string(res.Data)), comparable(t, want); !reflect.DeepEqual(a, b) {
		t.Errorf("plan differs from the one made by hand:\n%s\n%s", res.Data, want)
	}
	if !strings.Contains(string(res.Data), `"app-staging-3"`) {
		t.Error("the -var did not reach the plan")
	}
	p := res.Provenance
	if p.Via != "terraform plan" || p.Workspace != "staging" || len(p.PlanSHA256) != 64 || !p.HasSerial || p.Lineage == "" {
		t.Errorf("provenance %+v", p)
	}
	if want := "staging (plan of workspace staging of " + dir + ")"; res.Name != want {
		t.Errorf("name %q, want %q", res.Name, want)
	}
}

// comparable is a plan JSON without what differs between two plans of the
// same thing: the time it was made.
func comparable(t *testing.T, s string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		t.Fatal(err)
	}
	delete(m, "timestamp")
	return m
}
