package runtask

import (
	"context"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lockstep-iac/lockstep/internal/hcpfake"
)

func TestLoadHMACKey(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "key")
	empty := filepath.Join(dir, "empty")
	_ = os.WriteFile(file, []byte("k3y\n"), 0o600)
	_ = os.WriteFile(empty, []byte("\n"), 0o600)
	for _, tc := range []struct {
		env, file, want, wantErr string
	}{
		{want: ""},
		{env: "e", want: "e"},
		{file: file, want: "k3y"},
		{env: "e", file: file, wantErr: "both LOCKSTEP_HMAC_KEY and --hmac-key-file"},
		{file: empty, wantErr: "is empty"},
		{file: filepath.Join(dir, "none"), wantErr: "no such file"},
	} {
		key, err := LoadHMACKey(func(string) string { return tc.env }, tc.file)
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("%+v: got %v", tc, err)
			}
			continue
		}
		if err != nil || string(key) != tc.want {
			t.Errorf("%+v: got %q, %v", tc, key, err)
		}
	}
}

// TestListen: the real listener takes a request, and a cancelled context
// (SIGTERM) stops it after the run in flight is called back.
func TestListen(t *testing.T) {
	h := newHarness(t, nil)
	h.http.Close()
	h.fake.SetWorkspace("acme/app-staging", hcpfake.Workspace{State: fixture(t, "c-promotion-after/staging.state.json")})
	srv := &Server{Config: h.srv.Config, Engine: h.srv.Engine, HCP: h.srv.HCP, HMACKey: testKey, Log: h.srv.Log}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- Listen(ctx, srv, addr, "", "", 5*time.Second) }()
	h.http.URL = "http://" + addr
	waitFor(t, func() bool {
		resp, err := http.Get(h.http.URL + "/readyz")
		if err == nil {
			resp.Body.Close()
		}
		return err == nil && resp.StatusCode == 200
	})
	h.post(t, h.request("tr-1", "acme/app-production", fixture(t, "c-promotion-after/production.plan.json")), testKey)
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if got := h.final(t, "tr-1"); got.Status != StatusPassed {
		t.Fatalf("got %s %q", got.Status, got.Message)
	}
	if !strings.Contains(h.logs.String(), `"msg":"stopped"`) {
		t.Errorf("logs:\n%s", h.logs.String())
	}
}
