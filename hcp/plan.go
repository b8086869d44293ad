package hcp

import (
	"context"
	"fmt"
	"net/url"
)

// PlanJSON downloads a run's plan JSON from the plan_json_api_url of a run
// task request, with the request's access token. HCP Terraform answers
// with a redirect to a signed URL, which is followed without the token.
// The URL must be on the client's address: a request cannot send the
// token elsewhere.
func (c *Client) PlanJSON(ctx context.Context, planURL, accessToken string) ([]byte, error) {
	op := "download the run's plan JSON"
	u, err := url.Parse(planURL)
	if err != nil || !u.IsAbs() {
		return nil, &APIError{Op: op, URL: Redact(planURL), Err: fmt.Errorf("plan_json_api_url is not an absolute URL")}
	}
	if !c.sameHost(u) {
		return nil, &APIError{Op: op, URL: Redact(planURL), Err: fmt.Errorf("plan_json_api_url is not on %s, the configured HCP Terraform address; the access token is not sent elsewhere (set %s for Terraform Enterprise)", c.Address, EnvAddress)}
	}
	return c.get(ctx, op, planURL, accessToken, c.maxBytes(), "")
}
