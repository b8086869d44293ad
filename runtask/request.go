// Package runtask is lockstep as an HCP Terraform (and Terraform
// Enterprise) run task: an HTTP handler that verifies a run task request's
// HMAC signature on the raw body, answers 200 at once, and in a bounded
// worker pool downloads the run's plan with the request's access token,
// reads the earlier environment's state through the HCP Terraform API,
// runs the check as a library, and calls back with passed or failed and one
// outcome per finding. The protocol is HashiCorp's documented run task
// integration; tests run it against internal/hcpfake, an in-process
// stand-in, since HCP Terraform itself cannot be reached from them. Tokens,
// the HMAC key and plan values never reach a log line or a callback.
package runtask

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"slices"
	"strings"

	"github.com/lockstep-iac/lockstep/internal/guard"
)

// Secret is a credential from a request: it prints, logs and marshals as
// "(redacted)", so that a request logged whole cannot leak it.
type Secret string

func (Secret) String() string               { return "(redacted)" }
func (Secret) GoString() string             { return "(redacted)" }
func (Secret) LogValue() slog.Value         { return slog.StringValue("(redacted)") }
func (Secret) MarshalJSON() ([]byte, error) { return []byte(`"(redacted)"`), nil }
func (s *Secret) UnmarshalJSON(b []byte) error {
	var v string
	err := json.Unmarshal(b, &v)
	*s = Secret(v)
	return err
}

// VerificationToken is the access_token of the request HCP Terraform sends
// when a run task is created or its URL changed: it is answered 200 and
// never called back.
const VerificationToken = "test-token"

// Request is a run task request, as HCP Terraform POSTs it
// (payload_version 1); only the fields lockstep uses are decoded.
type Request struct {
	PayloadVersion int    `json:"payload_version"`
	Stage          string `json:"stage"`
	AccessToken    Secret `json:"access_token"`
	Capabilities   struct {
		Outcomes bool `json:"outcomes"`
	} `json:"capabilities"`
	PlanJSONAPIURL             string `json:"plan_json_api_url"`
	TaskResultCallbackURL      string `json:"task_result_callback_url"`
	TaskResultEnforcementLevel string `json:"task_result_enforcement_level"`
	TaskResultID               string `json:"task_result_id"`
	RunID                      string `json:"run_id"`
	RunAppURL                  string `json:"run_app_url"`
	IsSpeculative              bool   `json:"is_speculative"`
	OrganizationName           string `json:"organization_name"`
	WorkspaceID                string `json:"workspace_id"`
	WorkspaceName              string `json:"workspace_name"`
	WorkspaceWorkingDirectory  string `json:"workspace_working_directory"`
	ProjectName                string `json:"project_name"`
	VCSCommitURL               string `json:"vcs_commit_url"`
	VCSPullRequestURL          string `json:"vcs_pull_request_url"`
}

// Stages, as payload_version 1 spells them; older Terraform Enterprise
// spells them with hyphens (post-plan), which Parse turns into these.
const (
	StagePrePlan   = "pre_plan"
	StagePostPlan  = "post_plan"
	StagePreApply  = "pre_apply"
	StagePostApply = "post_apply"
)

// Parse decodes a request body and checks what the run needs: a payload
// version lockstep knows, a task result to call back, and a token.
func Parse(body []byte) (*Request, error) {
	// As every JSON lockstep reads: a name twice (which value would a
	// check of the token or URL have seen?), bad UTF-8 or deep nesting is
	// refused before decoding.
	if err := guard.JSON(body); err != nil {
		return nil, fmt.Errorf("the body is not a run task request: %w", err)
	}
	var r Request
	if err := json.Unmarshal(body, &r); err != nil {
		return nil, fmt.Errorf("the body is not a run task request: %w", err)
	}
	if r.PayloadVersion != 1 {
		return nil, fmt.Errorf("payload_version %d: lockstep reads version 1", r.PayloadVersion)
	}
	r.Stage = strings.ReplaceAll(r.Stage, "-", "_")
	if r.AccessToken == "" {
		return nil, fmt.Errorf("the request has no access_token")
	}
	if r.AccessToken == VerificationToken {
		return &r, nil
	}
	var missing []string
	for name, v := range map[string]string{"task_result_id": r.TaskResultID, "task_result_callback_url": r.TaskResultCallbackURL,
		"organization_name": r.OrganizationName, "workspace_name": r.WorkspaceName} {
		if v == "" {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("the request has no %s", strings.Join(slices.Sorted(slices.Values(missing)), ", "))
	}
	return &r, nil
}

// Verification says whether the request is HCP Terraform's test of the
// task's URL, which is answered and not run.
func (r *Request) Verification() bool { return r.AccessToken == VerificationToken }

// Workspace is ORG/NAME.
func (r *Request) Workspace() string { return r.OrganizationName + "/" + r.WorkspaceName }

// LogAttrs are the fields every log line of the run carries: ids and
// names, never the token or URLs (the callback URL names the task result,
// which task_result_id already gives).
func (r *Request) LogAttrs() []any {
	return []any{slog.String("run_id", r.RunID), slog.String("task_result_id", r.TaskResultID),
		slog.String("workspace", r.Workspace()), slog.String("stage", r.Stage)}
}
