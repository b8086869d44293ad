package runtask

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"strings"
	"time"
)

// EnvHMACKey holds the run task's HMAC key; a file given instead is read
// whole (trailing newline dropped). A flag would put the key in the
// process list and the shell history, so there is none.
const EnvHMACKey = "LOCKSTEP_HMAC_KEY"

// LoadHMACKey reads the key from keyFile, or else from LOCKSTEP_HMAC_KEY;
// both at once is an error, as is an empty file. No key at all is
// allowed: the task is then unsigned, and a signed request is refused.
func LoadHMACKey(getenv func(string) string, keyFile string) ([]byte, error) {
	env := getenv(EnvHMACKey)
	if keyFile == "" {
		return []byte(env), nil
	}
	if env != "" {
		return nil, fmt.Errorf("both %s and --hmac-key-file are set: give the key one way", EnvHMACKey)
	}
	data, err := os.ReadFile(keyFile)
	if err != nil {
		return nil, fmt.Errorf("--hmac-key-file: %w", err)
	}
	key := strings.TrimRight(string(data), "\r\n")
	if key == "" {
		return nil, fmt.Errorf("--hmac-key-file %s is empty: write the run task's HMAC key in it", keyFile)
	}
	return []byte(key), nil
}

// Listen serves the Server on addr until ctx ends (a signal), over TLS
// when certFile and keyFile are given, then shuts down: the listener
// first, then the runs, which get grace to finish before they are called
// back failed. It starts the Server.
func Listen(ctx context.Context, s *Server, addr, certFile, keyFile string, grace time.Duration) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("--listen %s: %w", addr, err)
	}
	s.Start()
	hs := &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
	}
	errc := make(chan error, 1)
	go func() {
		if certFile != "" {
			errc <- hs.ServeTLS(ln, certFile, keyFile)
			return
		}
		errc <- hs.Serve(ln)
	}()
	s.Log.Info("lockstep serve listening", "address", ln.Addr().String(), "tls", certFile != "")
	select {
	case err := <-errc:
		_ = s.Shutdown(context.Background())
		return fmt.Errorf("serve %s: %w", addr, err)
	case <-ctx.Done():
	}
	s.Log.Info("shutting down", "grace", grace.String())
	sctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	_ = hs.Shutdown(sctx) // the handlers only queue: they end at once
	rerr := s.Shutdown(sctx)
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	if rerr != nil {
		s.Log.Warn("runs cut short by shutdown: they were called back failed")
	}
	s.Log.Info("stopped")
	return nil
}
