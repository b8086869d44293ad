package check

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/lockstep-iac/lockstep/hcp"
	"github.com/lockstep-iac/lockstep/internal/parallel"
	"github.com/lockstep-iac/lockstep/report"
	"github.com/lockstep-iac/lockstep/workdir"
)

// isRemote says whether an input is an HCP Terraform workspace rather than
// a local file or directory.
func isRemote(in Input) bool {
	return strings.HasPrefix(in.Path, hcp.Prefix)
}

// readRemote reads the inputs held in memory or in HCP Terraform and adds
// them to the directories' reads, by environment name, in the same shape:
// content plus provenance. HCP Terraform workspaces are read side by side;
// one that cannot be read is an input error naming the environment and the
// workspace, never an empty state.
func readRemote(ctx context.Context, inputs []Input, opts Options, live map[string]*workdir.Result) (map[string]*workdir.Result, error) {
	type job struct {
		in  Input
		ref hcp.WorkspaceRef
	}
	var jobs []job
	for _, in := range inputs {
		data, held := opts.InputData[in.Name]
		if !held && !isRemote(in) {
			continue
		}
		if live == nil {
			live = map[string]*workdir.Result{}
		}
		if held {
			live[in.Name] = &workdir.Result{Env: in.Name, Name: in.Path, Data: data}
			continue
		}
		ref, err := hcp.ParseWorkspace(in.Path)
		if err != nil {
			return nil, &UsageError{Msg: fmt.Sprintf("environment %q: %v", in.Name, err)}
		}
		if opts.HCP == nil {
			return nil, &UsageError{Msg: fmt.Sprintf("environment %q reads HCP Terraform workspace %s, but Options.HCP is nil", in.Name, ref)}
		}
		jobs = append(jobs, job{in, ref})
	}
	read := make([]*hcp.State, len(jobs))
	errs := make([]error, len(jobs))
	parallel.Each(len(jobs), func(i int) {
		read[i], errs[i] = opts.HCP.ReadState(ctx, jobs[i].ref)
		if errs[i] != nil {
			errs[i] = &RemoteError{Env: jobs[i].in.Name, Workspace: jobs[i].ref.String(), Err: errs[i]}
		}
	})
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	for i, j := range jobs {
		st := read[i]
		p := workdir.Provenance{Kind: report.KindHCP, Workspace: st.Workspace.String(), Backend: "cloud", Via: "HCP Terraform API, state version " + st.StateVersion.ID,
			Terraform: st.StateVersion.TerraformVersion}
		if s := st.StateVersion.Serial; s != nil {
			p.Serial, p.HasSerial = *s, true
		}
		live[j.in.Name] = &workdir.Result{Env: j.in.Name, Name: j.in.Path, Data: st.Data, Provenance: p}
	}
	return live, nil
}

// RemoteError is an HCP Terraform workspace that could not be read as
// environment Env's input; Err is the hcp package's error, which says why
// and what to do.
type RemoteError struct {
	Env, Workspace string
	Err            error
}

func (e *RemoteError) Error() string {
	return fmt.Sprintf("environment %s's input hcp:%s: %v", e.Env, e.Workspace, e.Err)
}

func (e *RemoteError) Unwrap() error { return e.Err }
