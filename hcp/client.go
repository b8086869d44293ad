// Package hcp is a thin client of the few HCP Terraform (and Terraform
// Enterprise) API endpoints lockstep needs: a workspace by name, its current
// state version, that version's JSON state, and a run's plan JSON. It is
// written over net/http rather than go-tfe, whose v1 is frozen and whose
// run-task types mis-tag fields, because four GETs do not justify a
// dependency. Every read is bounded, every error says which workspace and
// what to do, and no error, URL or log line it produces holds the token or
// the query string of a signed download URL.
package hcp

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// DefaultAddress is HCP Terraform's API host.
const DefaultAddress = "https://app.terraform.io"

// apiLimit bounds a JSON:API document (a workspace, a state version): they
// are a few KB; anything far larger is not what was asked for.
const apiLimit int64 = 4 << 20

// DefaultMaxBytes bounds a downloaded state or plan when Client.MaxBytes is
// zero: readfile.InputLimit, the bound of an --env file.
const DefaultMaxBytes int64 = 16 << 30

// DefaultTimeout bounds one read of a workspace's state (three requests)
// when the caller's context has no deadline.
const DefaultTimeout = 5 * time.Minute

// Client reads from one HCP Terraform or Terraform Enterprise address.
type Client struct {
	// Address is the API's base URL, scheme and host ("https://app.terraform.io").
	Address string
	// Token is the API token that reads other workspaces' state; "" makes
	// every state read fail with a *NoTokenError. It is sent only to
	// Address's host, never to a download host elsewhere.
	Token string
	// HTTP is the client used; nil means a client with sane timeouts.
	HTTP *http.Client
	// MaxBytes bounds a state or plan download; zero means DefaultMaxBytes.
	MaxBytes int64
	// TokenSource names where Token came from, for messages ("LOCKSTEP_HCP_TOKEN").
	TokenSource string
	// addrErr is FromEnv's bad address, returned by every read.
	addrErr error
}

// Environment variables FromEnv reads.
const (
	EnvToken   = "LOCKSTEP_HCP_TOKEN"
	EnvAddress = "LOCKSTEP_HCP_ADDRESS"
)

// FromEnv builds a client from LOCKSTEP_HCP_ADDRESS (default
// app.terraform.io) and LOCKSTEP_HCP_TOKEN, else Terraform's own
// TF_TOKEN_<host> (TF_TOKEN_app_terraform_io for HCP Terraform). A missing
// token or a bad address is not an error here, since most runs read no
// workspace: only a read fails, saying which variable to fix.
func FromEnv(getenv func(string) string) *Client {
	addr, err := NormalizeAddress(getenv(EnvAddress))
	if err != nil {
		return &Client{addrErr: fmt.Errorf("%s: %w", EnvAddress, err)}
	}
	c := &Client{Address: addr}
	u, _ := url.Parse(addr)
	hostVar := "TF_TOKEN_" + strings.NewReplacer(".", "_", "-", "__").Replace(u.Hostname())
	switch {
	case getenv(EnvToken) != "":
		c.Token, c.TokenSource = getenv(EnvToken), EnvToken
	case getenv(hostVar) != "":
		c.Token, c.TokenSource = getenv(hostVar), hostVar
	default:
		c.TokenSource = EnvToken + " or " + hostVar
	}
	return c
}

// Err is the configuration error every read returns: a bad
// LOCKSTEP_HCP_ADDRESS given to FromEnv.
func (c *Client) Err() error { return c.addrErr }

// NormalizeAddress turns "tfe.example.com" or "https://tfe.example.com/"
// into "https://tfe.example.com". Plain http is refused except on a
// loopback host: the token would cross the network in clear text.
func NormalizeAddress(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return DefaultAddress, nil
	}
	if !strings.Contains(s, "://") {
		s = "https://" + s
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.User != nil {
		return "", fmt.Errorf("%q is not an address: give the host of HCP Terraform or Terraform Enterprise, for example app.terraform.io or https://tfe.example.com", s)
	}
	switch u.Scheme {
	case "https":
	case "http":
		if !isLoopback(u.Hostname()) {
			return "", fmt.Errorf("%q uses plain http: the API token would cross the network unencrypted; use https", s)
		}
	default:
		return "", fmt.Errorf("%q: the scheme must be https", s)
	}
	return u.Scheme + "://" + u.Host, nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func (c *Client) httpClient() *http.Client {
	if c.HTTP != nil {
		return c.HTTP
	}
	return defaultHTTP
}

// defaultHTTP bounds connecting and waiting for headers; a body's read is
// bounded by the caller's context, as a large state takes its time.
var defaultHTTP = &http.Client{
	Transport: &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: 30 * time.Second}).DialContext,
		TLSHandshakeTimeout:   30 * time.Second,
		ResponseHeaderTimeout: 60 * time.Second,
		MaxIdleConnsPerHost:   8,
		IdleConnTimeout:       90 * time.Second,
	},
}

// checkRedirect follows up to five redirects (plan JSON and state
// downloads answer with one to a signed URL) and drops the token when a
// redirect leaves the API's scheme, host and port: net/http keeps it for
// the same host name on another port.
func (c *Client) checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) >= 5 {
		return errors.New("more than 5 redirects")
	}
	if !c.sameHost(req.URL) {
		req.Header.Del("Authorization")
	}
	return nil
}

func (c *Client) maxBytes() int64 {
	if c.MaxBytes > 0 {
		return c.MaxBytes
	}
	return DefaultMaxBytes
}

// get fetches u and returns at most limit bytes of a 200 answer. token is
// sent as a bearer token only when u is on the API's host (or when
// anyHost: the run task's own URLs, which HCP Terraform gave us).
func (c *Client) get(ctx context.Context, op, u, token string, limit int64, accept string) ([]byte, error) {
	if c.addrErr != nil {
		return nil, c.addrErr
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, &APIError{Op: op, URL: Redact(u), Err: err}
	}
	if token != "" && c.sameHost(req.URL) {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	hc := *c.httpClient()
	hc.CheckRedirect = c.checkRedirect
	resp, err := hc.Do(req)
	if err != nil {
		return nil, &APIError{Op: op, URL: Redact(u), Err: scrub(err, u)}
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		// Drain a little so the connection can be reused; never show it.
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		return nil, &APIError{Op: op, URL: Redact(u), Status: resp.StatusCode}
	}
	if resp.ContentLength > limit {
		return nil, &TooLargeError{Op: op, URL: Redact(u), Limit: limit}
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, &APIError{Op: op, URL: Redact(u), Err: scrub(err, u)}
	}
	if int64(len(data)) > limit {
		return nil, &TooLargeError{Op: op, URL: Redact(u), Limit: limit}
	}
	return data, nil
}

// sameHost says whether u is on the API's host: only there does the
// token go. A state download on another host (object storage) is signed.
func (c *Client) sameHost(u *url.URL) bool {
	base, err := url.Parse(c.Address)
	return err == nil && strings.EqualFold(base.Host, u.Host) && base.Scheme == u.Scheme
}

// Redact is u without its query, fragment and user information, which
// in signed download URLs are credentials.
func Redact(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return "(an unparsable URL)"
	}
	p.RawQuery, p.Fragment, p.User, p.RawFragment = "", "", nil, ""
	return p.String()
}

// scrub replaces the URL in a net/http error (which quotes it whole,
// query included) by its redacted form.
func scrub(err error, u string) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return fmt.Errorf("%s: %w", ue.Op, ue.Err)
	}
	return errors.New(strings.ReplaceAll(err.Error(), u, Redact(u)))
}
