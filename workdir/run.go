package workdir

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/hashicorp/terraform-exec/tfexec"
	"github.com/lockstep-iac/lockstep/internal/lazyre"
)

// runner runs Terraform commands in one environment's directory through
// terraform-exec.
//
// The workspace is chosen per command without touching the directory:
// terraform-exec removes TF_WORKSPACE from every command's environment
// (hashicorp/terraform-exec#247), and `terraform workspace select` would
// change what the user has selected and race with other environments read
// from the same directory. So each read gets a private data directory
// (TF_DATA_DIR) in its own temporary directory, holding links to every
// entry of the real .terraform (the backend configuration, providers,
// modules) and its own `environment` file naming the workspace, which is
// what Terraform reads to know the selected workspace.
type runner struct {
	env     string
	dir     string
	tf      *tfexec.Terraform
	overlay string
}

func newRunner(s *Spec, be *backend, tmp string) (*runner, error) {
	tf, err := tfexec.NewTerraform(s.Dir, s.Terraform)
	if err != nil {
		return nil, err
	}
	overlay := filepath.Join(tmp, "data")
	if err := os.Mkdir(overlay, 0o700); err != nil {
		return nil, err
	}
	entries, err := os.ReadDir(be.dataDir)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	for _, e := range entries {
		if e.Name() == "environment" {
			continue
		}
		if err := os.Symlink(filepath.Join(absDir(be.dataDir), e.Name()), filepath.Join(overlay, e.Name())); err != nil {
			return nil, err
		}
	}
	vars := commandEnv(os.Environ(), overlay)
	if err := tf.SetEnv(vars); err != nil {
		return nil, err
	}
	if err := tf.SetWaitDelay(s.KillDelay); err != nil {
		return nil, err
	}
	return &runner{env: s.Env, dir: s.Dir, tf: tf, overlay: overlay}, nil
}

func absDir(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return p
}

// use selects the workspace for the commands that follow.
func (r *runner) use(workspace string) error {
	return os.WriteFile(filepath.Join(r.overlay, "environment"), []byte(workspace), 0o600)
}

// failure is a command that did not succeed, before it is classified.
type failure struct {
	command  string
	stderr   string
	timedOut bool
	tooLarge bool
	err      error
}

// run runs one command with its standard output bounded to limit bytes
// (kept when keep is set) and its standard error kept for the error
// message. Going over the limit cancels the command, which terraform-exec
// then interrupts and, after the kill delay, kills with its process group.
func (r *runner) run(ctx context.Context, command string, limit int64, keep bool, f func(context.Context) error) ([]byte, *failure) {
	cmdCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	out := &capWriter{limit: limit, keep: keep, cancel: cancel}
	errOut := &capWriter{limit: 64 << 10, keep: true, truncate: true}
	r.tf.SetStdout(out)
	r.tf.SetStderr(errOut)
	err := f(cmdCtx)
	r.tf.SetStdout(nil)
	r.tf.SetStderr(nil)
	switch {
	case out.over:
		return nil, &failure{command: command, tooLarge: true}
	case err != nil && ctx.Err() != nil:
		return nil, &failure{command: command, timedOut: true, err: err}
	case err != nil:
		return nil, &failure{command: command, stderr: string(errOut.buf), err: err}
	}
	return out.buf, nil
}

var initRequired = lazyre.New(`(?i)terraform init|tofu init|initialization required|please run "init"|not initialized`)

// classify turns a failure into the error the user sees.
func (r *runner) classify(f *failure, s *Spec, be *backend) error {
	switch {
	case f.timedOut:
		return &TimeoutError{Env: r.env, Dir: r.dir, Command: f.command, Timeout: s.Timeout}
	case f.tooLarge:
		return &TooLargeError{Env: r.env, Dir: r.dir, Command: f.command, Limit: s.MaxBytes}
	case initRequired().MatchString(f.stderr):
		return &NotInitializedError{Env: r.env, Dir: r.dir}
	}
	msg := cleanOutput(f.stderr)
	if msg == "" {
		msg = cleanOutput(f.err.Error())
	}
	if strings.HasSuffix(f.command, " state pull") || strings.HasSuffix(f.command, " workspace list") {
		return &BackendError{Env: r.env, Dir: r.dir, Backend: be.Type, Output: msg}
	}
	return &CommandError{Env: r.env, Dir: r.dir, Command: f.command, Output: msg}
}

// capWriter keeps (or only counts) at most limit bytes. Past the limit it
// either drops the rest (truncate, for stderr) or reports the overflow and
// cancels the command (stdout, which must be whole).
type capWriter struct {
	mu       sync.Mutex
	limit    int64
	n        int64
	keep     bool
	truncate bool
	over     bool
	buf      []byte
	cancel   context.CancelFunc
}

func (w *capWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	room := w.limit - w.n
	if int64(len(p)) > room {
		if !w.truncate {
			w.over = true
			w.cancel()
			return 0, errors.New("output over the input limit")
		}
		if room > 0 && w.keep {
			w.buf = append(w.buf, p[:room]...)
		}
		w.n = w.limit
		return len(p), nil
	}
	w.n += int64(len(p))
	if w.keep {
		w.buf = append(w.buf, p...)
	}
	return len(p), nil
}

// terraformVersion asks the binary its version, first: terraform-exec
// checks the version before some commands and caches it per instance, and
// a check made later would print into the command's captured output.
func (r *runner) terraformVersion(ctx context.Context, s *Spec, be *backend) (string, error) {
	var v string
	_, f := r.run(ctx, toolName(s.Terraform)+" version", 1<<20, false, func(ctx context.Context) error {
		tv, _, err := r.tf.Version(ctx, false)
		if err == nil {
			v = tv.String()
		}
		return err
	})
	if f != nil {
		return "", r.classify(f, s, be)
	}
	return v, nil
}
