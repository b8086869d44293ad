package hcp

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// CallbackRetries is how many times Callback tries again after a 429 or a
// 5xx answer, or a failed connection, before giving up.
const CallbackRetries = 5

// callbackBackoff is the first wait between tries; each doubles it, up to
// a Retry-After the server gives (at most a minute).
var callbackBackoff = 500 * time.Millisecond

// Callback sends a run task result: PATCH callbackURL with the run's
// access token and a JSON:API document. A 429 or 5xx answer, or a failed
// connection, is tried again with backoff until ctx ends (the caller bounds
// it by the token's life); any other answer but 200 is final. The URL must
// be on the client's address, so that the token goes nowhere else.
func (c *Client) Callback(ctx context.Context, callbackURL, accessToken string, body []byte) error {
	op := "send the run task result"
	u, err := url.Parse(callbackURL)
	if err != nil || !u.IsAbs() {
		return &APIError{Op: op, URL: Redact(callbackURL), Err: fmt.Errorf("task_result_callback_url is not an absolute URL")}
	}
	if !c.sameHost(u) {
		return &APIError{Op: op, URL: Redact(callbackURL), Err: fmt.Errorf("task_result_callback_url is not on %s, the configured HCP Terraform address; the access token is not sent elsewhere (set %s for Terraform Enterprise)", c.Address, EnvAddress)}
	}
	wait := callbackBackoff
	for try := 0; ; try++ {
		status, retryAfter, err := c.patch(ctx, callbackURL, accessToken, body)
		if err == nil && status == http.StatusOK {
			return nil
		}
		var last error = &APIError{Op: op, URL: Redact(callbackURL), Status: status, Err: err}
		if err == nil && status != http.StatusTooManyRequests && status < 500 {
			return last
		}
		if try >= CallbackRetries {
			return last
		}
		if retryAfter > wait {
			wait = min(retryAfter, time.Minute)
		}
		select {
		case <-ctx.Done():
			return &APIError{Op: op, URL: Redact(callbackURL), Status: status, Err: fmt.Errorf("gave up after %d tries: %w", try+1, ctx.Err())}
		case <-time.After(wait):
		}
		wait *= 2
	}
}

func (c *Client) patch(ctx context.Context, u, token string, body []byte) (status int, retryAfter time.Duration, err error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPatch, u, bytes.NewReader(body))
	if err != nil {
		return 0, 0, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/vnd.api+json")
	hc := *c.httpClient()
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := hc.Do(req)
	if err != nil {
		return 0, 0, scrub(err, u)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if s, perr := strconv.Atoi(resp.Header.Get("Retry-After")); perr == nil && s > 0 {
		retryAfter = time.Duration(s) * time.Second
	}
	return resp.StatusCode, retryAfter, nil
}
