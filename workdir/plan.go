package workdir

import (
	"archive/zip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"

	"github.com/hashicorp/terraform-exec/tfexec"
)

// readPlan runs `terraform plan -out` into the private temporary directory
// and returns `terraform show -json` of it. The plan file holds secrets
// (the prior state, variable values): it is created there and nowhere
// else, and removed with that directory by Read, on error and timeout too.
// The plan takes the state lock as Terraform always does, with a
// -lock-timeout of half the environment's timeout so that a held lock is
// reported by Terraform before the timeout stops it.
func readPlan(ctx context.Context, r *runner, s Spec, be *backend, tmp string) (*Result, error) {
	tool := toolName(s.Terraform)
	version, ws, err := r.prepare(ctx, &s, be)
	if err != nil {
		return nil, err
	}
	if err := r.use(ws); err != nil {
		return nil, err
	}
	progress(s, Planning)
	planFile := filepath.Join(tmp, "plan.tfplan")
	opts := []tfexec.PlanOption{tfexec.Out(planFile), tfexec.LockTimeout((s.Timeout / 2).String())}
	for _, f := range s.VarFiles {
		opts = append(opts, tfexec.VarFile(f))
	}
	for _, k := range slices.Sorted(maps.Keys(s.Vars)) {
		opts = append(opts, tfexec.Var(k+"="+s.Vars[k]))
	}
	// The plan's human-readable output is not kept, only bounded.
	if _, f := r.run(ctx, tool+" plan", s.MaxBytes, false, func(ctx context.Context) error {
		_, err := r.tf.Plan(ctx, opts...)
		return err
	}); f != nil {
		return nil, r.classify(f, &s, be)
	}
	// Terraform creates the file 0666 less the umask; the directory already
	// keeps others out, the mode says so of the file too.
	if err := os.Chmod(planFile, 0o600); err != nil {
		return nil, &CommandError{Env: s.Env, Dir: s.Dir, Command: tool + " plan", Output: "the plan file it wrote cannot be reached: " + err.Error()}
	}
	p := Provenance{Kind: kindOf(ws), Dir: s.Dir, Workspace: ws, Backend: be.Type, Via: tool + " plan", Terraform: version, Tool: toolOf(s.Terraform)}
	if err := planIdentity(&p, planFile); err != nil {
		return nil, &CommandError{Env: s.Env, Dir: s.Dir, Command: tool + " plan", Output: "the plan file it wrote cannot be read: " + err.Error()}
	}
	data, f := r.run(ctx, tool+" show -json", s.MaxBytes, true, func(ctx context.Context) error {
		_, err := r.tf.ShowPlanFile(ctx, planFile)
		return err
	})
	if f != nil {
		return nil, r.classify(f, &s, be)
	}
	return &Result{Env: s.Env, Name: DisplayName(s.Env, p), Data: data, Provenance: p}, nil
}

// planIdentity records the plan file's digest and the serial and lineage
// of the state it was planned from, which the plan file (a zip) carries as
// its "tfstate" entry; the JSON form of a plan has neither. OpenTofu's
// meta member comes before its encrypted_data, so the file's head shows an
// encrypted plan.
func planIdentity(p *Provenance, planFile string) error {
	f, err := os.Open(planFile)
	if err != nil {
		return err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return err
	}
	p.PlanSHA256 = hex.EncodeToString(h.Sum(nil))
	zr, err := zip.OpenReader(planFile)
	if err != nil {
		// OpenTofu with plan encryption writes the zip encrypted, its state
		// identity with it: the plan has a digest and no identity.
		if _, serr := f.Seek(0, io.SeekStart); serr == nil {
			if head, _ := io.ReadAll(io.LimitReader(f, 64<<10)); encrypted(head) {
				return nil
			}
		}
		return err
	}
	defer zr.Close()
	for _, e := range zr.File {
		if e.Name != "tfstate" {
			continue
		}
		rc, err := e.Open()
		if err != nil {
			return err
		}
		// The identity is in the first few hundred bytes.
		head, _ := io.ReadAll(io.LimitReader(rc, 4096))
		rc.Close()
		stateIdentity(p, head)
	}
	return nil
}
