package hcp

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"

	"github.com/lockstep-iac/lockstep/internal/guard"
)

// Prefix marks an --env input that is an HCP Terraform workspace:
// staging=hcp:acme/app-staging.
const Prefix = "hcp:"

// WorkspaceRef is an organization and a workspace name.
type WorkspaceRef struct{ Org, Name string }

func (w WorkspaceRef) String() string { return w.Org + "/" + w.Name }

// ParseWorkspace reads ORG/NAME (with or without the hcp: prefix).
func ParseWorkspace(s string) (WorkspaceRef, error) {
	org, name, ok := strings.Cut(strings.TrimPrefix(s, Prefix), "/")
	if !ok || org == "" || name == "" || strings.ContainsAny(name, "/?#") || strings.ContainsAny(org, "?#") {
		return WorkspaceRef{}, &WorkspaceNameError{Given: s}
	}
	return WorkspaceRef{Org: org, Name: name}, nil
}

// Workspace is the part of a workspace lockstep uses.
type Workspace struct {
	ID   string
	Name string
}

type document struct {
	Data struct {
		ID         string          `json:"id"`
		Type       string          `json:"type"`
		Attributes json.RawMessage `json:"attributes"`
	} `json:"data"`
}

func (c *Client) api(ctx context.Context, op, path string, attrs any) (string, error) {
	data, err := c.get(ctx, op, c.Address+"/api/v2"+path, c.Token, apiLimit, "application/vnd.api+json")
	if err != nil {
		return "", err
	}
	var doc document
	if err := guard.JSON(data); err != nil {
		return "", &APIError{Op: op, URL: c.Address + "/api/v2" + path, Err: fmt.Errorf("the answer is not a JSON:API document: %w", err)}
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		return "", &APIError{Op: op, URL: c.Address + "/api/v2" + path, Err: fmt.Errorf("the answer is not a JSON:API document: %w", err)}
	}
	if doc.Data.ID == "" {
		return "", &APIError{Op: op, URL: c.Address + "/api/v2" + path, Err: fmt.Errorf("the answer has no data.id")}
	}
	if attrs != nil && len(doc.Data.Attributes) > 0 {
		if err := json.Unmarshal(doc.Data.Attributes, attrs); err != nil {
			return "", &APIError{Op: op, URL: c.Address + "/api/v2" + path, Err: fmt.Errorf("unexpected attributes: %w", err)}
		}
	}
	return doc.Data.ID, nil
}

// Workspace reads GET /organizations/:org/workspaces/:name.
func (c *Client) Workspace(ctx context.Context, ref WorkspaceRef) (Workspace, error) {
	var attrs struct {
		Name string `json:"name"`
	}
	id, err := c.api(ctx, "read HCP Terraform workspace "+ref.String(),
		"/organizations/"+url.PathEscape(ref.Org)+"/workspaces/"+url.PathEscape(ref.Name), &attrs)
	if err != nil {
		return Workspace{}, err
	}
	return Workspace{ID: id, Name: attrs.Name}, nil
}

// StateVersion is the part of a state version lockstep uses.
type StateVersion struct {
	ID                 string
	Serial             *uint64 `json:"serial"`
	TerraformVersion   string  `json:"terraform-version"`
	JSONDownloadURL    string  `json:"hosted-json-state-download-url"`
	ResourcesProcessed bool    `json:"resources-processed"`
	Status             string  `json:"status"`
}

// CurrentStateVersion reads GET /workspaces/:id/current-state-version;
// a 404 there is a workspace with no state (*NoStateError).
func (c *Client) CurrentStateVersion(ctx context.Context, ref WorkspaceRef, ws Workspace) (StateVersion, error) {
	var sv StateVersion
	id, err := c.api(ctx, "read the current state version of HCP Terraform workspace "+ref.String(),
		"/workspaces/"+url.PathEscape(ws.ID)+"/current-state-version", &sv)
	if ae, ok := err.(*APIError); ok && ae.Status == 404 {
		return sv, &NoStateError{Workspace: ref.String()}
	}
	if err != nil {
		return sv, err
	}
	sv.ID = id
	return sv, nil
}

// State is a workspace's current state as JSON (`terraform show -json`'s
// format) and where it came from.
type State struct {
	Workspace    WorkspaceRef
	WorkspaceID  string
	StateVersion StateVersion
	Data         []byte
}

// ReadState reads a workspace's current state: the workspace, its current
// state version, and that version's JSON state. A version without one
// (Terraform before 1.3) is a *StateTooOldError, never an empty state.
func (c *Client) ReadState(ctx context.Context, ref WorkspaceRef) (*State, error) {
	if c.addrErr != nil {
		return nil, c.addrErr
	}
	if c.Token == "" {
		return nil, &NoTokenError{Workspace: ref.String(), Source: c.TokenSource}
	}
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, DefaultTimeout)
		defer cancel()
	}
	ws, err := c.Workspace(ctx, ref)
	if err != nil {
		return nil, err
	}
	sv, err := c.CurrentStateVersion(ctx, ref, ws)
	if err != nil {
		return nil, err
	}
	if sv.JSONDownloadURL == "" {
		return nil, &StateTooOldError{Workspace: ref.String(), StateVersion: sv.ID, TerraformVersion: sv.TerraformVersion, Processed: sv.ResourcesProcessed}
	}
	u, err := c.resolve(sv.JSONDownloadURL)
	if err != nil {
		return nil, &APIError{Op: "download the state of HCP Terraform workspace " + ref.String(), URL: Redact(sv.JSONDownloadURL), Err: err}
	}
	data, err := c.get(ctx, "download the state of HCP Terraform workspace "+ref.String(), u, c.Token, c.maxBytes(), "")
	if err != nil {
		return nil, err
	}
	return &State{Workspace: ref, WorkspaceID: ws.ID, StateVersion: sv, Data: data}, nil
}

// resolve makes a download URL absolute against the API address (Terraform
// Enterprise may answer with a path).
func (c *Client) resolve(u string) (string, error) {
	base, err := url.Parse(c.Address)
	if err != nil {
		return "", err
	}
	ref, err := url.Parse(u)
	if err != nil {
		return "", fmt.Errorf("not a URL")
	}
	return base.ResolveReference(ref).String(), nil
}
