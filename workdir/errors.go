package workdir

import (
	"fmt"
	"strings"
	"time"
)

// Every error Read returns is one of the types below (or a *DirError for a
// directory that is not a Terraform root module). Each names the
// environment, says what is wrong and what to do, and never holds a value
// from the state: states and plans hold secrets, and Terraform's own output
// is kept only as a shortened, redacted excerpt of its error message.

// NotFoundError is a directory that needs a Terraform binary (a non-local
// backend, or plan mode) when none was found.
type NotFoundError struct {
	Env    string
	Dir    string
	Reason string // why Terraform is needed
}

func (e *NotFoundError) Error() string {
	return fmt.Sprintf("environment %q (%s): Terraform not found, and %s; install Terraform or OpenTofu, or give its path with --terraform or $TERRAFORM", e.Env, e.Dir, e.Reason)
}

// NotInitializedError is a directory whose backend Terraform has not set
// up yet: it has a backend block but no .terraform/terraform.tfstate, or
// Terraform said initialisation is required.
type NotInitializedError struct {
	Env string
	Dir string
}

func (e *NotInitializedError) Error() string {
	return fmt.Sprintf("environment %q: the directory %s is not initialised; run `terraform init` in it", e.Env, e.Dir)
}

// WorkspaceMissingError is a workspace the backend does not have.
type WorkspaceMissingError struct {
	Env       string
	Dir       string
	Workspace string
	Existing  []string
}

func (e *WorkspaceMissingError) Error() string {
	return fmt.Sprintf("environment %q: the workspace %q does not exist in %s (it has: %s); name an existing one with `environment %q { workspace = \"...\" }` in lockstep.hcl",
		e.Env, e.Workspace, e.Dir, strings.Join(e.Existing, ", "), e.Env)
}

// StateEmptyError is a workspace that exists but holds no state yet.
type StateEmptyError struct {
	Env       string
	Dir       string
	Workspace string
}

func (e *StateEmptyError) Error() string {
	return fmt.Sprintf("environment %q: the workspace %q of %s has no state yet; apply it first, or use --plan to compare what would be created", e.Env, e.Workspace, e.Dir)
}

// BackendError is Terraform failing to read the state from the backend:
// authentication, network, permissions. Output is Terraform's own message,
// shortened and with anything that looks like a credential redacted.
type BackendError struct {
	Env     string
	Dir     string
	Backend string
	Output  string
}

func (e *BackendError) Error() string {
	return fmt.Sprintf("environment %q: Terraform could not read the state from the %q backend of %s: %s; check the backend's credentials and that it can be reached (run `terraform state pull` in the directory to see the whole message)",
		e.Env, e.Backend, e.Dir, e.Output)
}

// CommandError is another Terraform command failing, for instance a plan
// with an error in the configuration. Output is redacted like BackendError's.
type CommandError struct {
	Env     string
	Dir     string
	Command string
	Output  string
}

func (e *CommandError) Error() string {
	return fmt.Sprintf("environment %q: `%s` failed in %s: %s; run it there to see the whole message", e.Env, e.Command, e.Dir, e.Output)
}

// TimeoutError is a Terraform command that did not finish within the
// environment's timeout (waiting for a lock or a prompt); it was stopped.
type TimeoutError struct {
	Env     string
	Dir     string
	Command string
	Timeout time.Duration
}

func (e *TimeoutError) Error() string {
	return fmt.Sprintf("environment %q: `%s` in %s did not finish within %s and was stopped; check for a held state lock, or raise --input-timeout", e.Env, e.Command, e.Dir, e.Timeout)
}

// TooLargeError is Terraform printing more than the input limit.
type TooLargeError struct {
	Env     string
	Dir     string
	Command string
	Limit   int64
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("environment %q: `%s` in %s printed more than lockstep's input limit of %d bytes and was stopped; if the state really is that large, raise the limit with --max-input-size", e.Env, e.Command, e.Dir, e.Limit)
}

// DirError is a directory that cannot be read as a Terraform root module.
type DirError struct {
	Env     string
	Dir     string
	Problem string
	Hint    string
}

func (e *DirError) Error() string {
	return fmt.Sprintf("environment %q: %s: %s; %s", e.Env, e.Dir, e.Problem, e.Hint)
}
