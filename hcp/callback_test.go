package hcp

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/lockstep-iac/lockstep/internal/hcpfake"
)

func TestCallback(t *testing.T) {
	old := callbackBackoff
	callbackBackoff = time.Millisecond
	defer func() { callbackBackoff = old }()
	body := []byte(`{"data":{"type":"task-results","attributes":{"status":"passed","message":"ok"}}}`)
	cases := []struct {
		name     string
		failures int
		token    string
		url      func(*hcpfake.Server) string
		body     []byte
		wantErr  string
		want     int // callbacks recorded
	}{
		{name: "ok", want: 1},
		{name: "5xx is retried", failures: 3, want: 1},
		{name: "gives up", failures: CallbackRetries + 1, wantErr: "503 Service Unavailable"},
		{name: "401 is final", token: "wrong", wantErr: "401 Unauthorized"},
		{name: "422 is final", body: []byte(`{}`), wantErr: "422 Unprocessable Entity"},
		{name: "elsewhere", url: func(s *hcpfake.Server) string { return s.Storage.URL + "/api/v2/task-results/tr-1/callback" }, wantErr: "not on"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := hcpfake.New()
			defer srv.Close()
			srv.CallbackFailures = tc.failures
			c := &Client{Address: srv.API.URL}
			u := srv.CallbackURL("tr-1")
			if tc.url != nil {
				u = tc.url(srv)
			}
			token := srv.RunToken
			if tc.token != "" {
				token = tc.token
			}
			b := body
			if tc.body != nil {
				b = tc.body
			}
			err := c.Callback(context.Background(), u, token, b)
			if tc.wantErr == "" && err != nil {
				t.Fatal(err)
			}
			if tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)) {
				t.Fatalf("got %v, want %q", err, tc.wantErr)
			}
			if err != nil && strings.Contains(err.Error(), srv.RunToken) {
				t.Fatalf("the error holds the token: %v", err)
			}
			got := srv.Callbacks("")
			if len(got) != tc.want {
				t.Fatalf("%d callbacks recorded, want %d", len(got), tc.want)
			}
			if tc.want > 0 && (got[0].ContentType != "application/vnd.api+json" || got[0].Status != "passed") {
				t.Errorf("callback %+v", got[0])
			}
		})
	}
}
