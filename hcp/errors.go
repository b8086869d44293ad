package hcp

import (
	"fmt"
	"net/http"
)

// APIError is a request that failed: Op says what was being read (and of
// which workspace), URL is redacted (no query), Status is the HTTP status
// when there was an answer, Err the transport error when there was none.
type APIError struct {
	Op     string
	URL    string
	Status int
	Err    error
}

func (e *APIError) Error() string {
	if e.Status == 0 {
		return fmt.Sprintf("%s: %s: %v", e.Op, e.URL, e.Err)
	}
	return fmt.Sprintf("%s: %s answered %d %s%s", e.Op, e.URL, e.Status, http.StatusText(e.Status), statusHint(e.Status))
}

func (e *APIError) Unwrap() error { return e.Err }

func statusHint(status int) string {
	switch {
	case status == http.StatusUnauthorized:
		return "; the token is invalid or expired"
	case status == http.StatusNotFound:
		// HCP Terraform answers 404, not 403, to a token that may not see it.
		return "; it does not exist, or the token may not read it (a team token needs \"read state versions\" on the workspace)"
	case status == http.StatusForbidden:
		return "; the token may not read it"
	case status == http.StatusTooManyRequests:
		return "; rate limited, try again later"
	case status >= 500:
		return "; HCP Terraform failed, try again later"
	}
	return ""
}

// TooLargeError is an answer larger than the client reads.
type TooLargeError struct {
	Op    string
	URL   string
	Limit int64
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("%s: %s: the answer is larger than %d bytes; raise the input size limit if it is a real state or plan", e.Op, e.URL, e.Limit)
}

// NoTokenError is a state read without an API token.
type NoTokenError struct {
	Workspace string
	// Source names the variables that would give one.
	Source string
}

func (e *NoTokenError) Error() string {
	return fmt.Sprintf("HCP Terraform workspace %s: no API token to read its state; set %s to a token that may read the workspace's state versions", e.Workspace, e.Source)
}

// NoStateError is a workspace without a current state version.
type NoStateError struct{ Workspace string }

func (e *NoStateError) Error() string {
	return fmt.Sprintf("HCP Terraform workspace %s has no state yet: apply it first, or leave it out of the comparison", e.Workspace)
}

// StateTooOldError is a state version without a JSON state: HCP Terraform
// makes one only for states written by Terraform 1.3 or later (and only
// once it has processed the state).
type StateTooOldError struct {
	Workspace        string
	StateVersion     string
	TerraformVersion string
	Processed        bool
}

func (e *StateTooOldError) Error() string {
	if !e.Processed {
		return fmt.Sprintf("HCP Terraform workspace %s: state version %s has no JSON state yet (HCP Terraform is still processing it); try again in a minute", e.Workspace, e.StateVersion)
	}
	v := e.TerraformVersion
	if v == "" {
		v = "an unknown version"
	}
	return fmt.Sprintf("HCP Terraform workspace %s: state version %s was written by Terraform %s and has no JSON state, which HCP Terraform makes only for states of Terraform 1.3 or later; the state is too old to read: apply the workspace once with Terraform 1.3 or later", e.Workspace, e.StateVersion, v)
}

// WorkspaceNameError is a workspace reference that is not ORG/NAME.
type WorkspaceNameError struct{ Given string }

func (e *WorkspaceNameError) Error() string {
	return fmt.Sprintf("%q is not an HCP Terraform workspace: write ORGANIZATION/WORKSPACE, for example hcp:acme/app-staging", e.Given)
}
