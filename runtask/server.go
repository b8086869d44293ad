package runtask

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/lockstep-iac/lockstep/check"
	"github.com/lockstep-iac/lockstep/config"
	"github.com/lockstep-iac/lockstep/hcp"
	"github.com/lockstep-iac/lockstep/policy"
)

// Defaults of the Server's bounds.
const (
	DefaultWorkers      = 4
	DefaultQueue        = 64
	DefaultMaxBodyBytes = 1 << 20
	// DefaultRunTimeout bounds one run, under the access token's life, so
	// that the final callback still has time to go out.
	DefaultRunTimeout = 5 * time.Minute
	// TokenLife is how long a request's access token lives.
	TokenLife = 10 * time.Minute
	// seenFor is how long a task_result_id is remembered, so that HCP
	// Terraform's retries of one request run it once.
	seenFor = time.Hour
)

// Server is the run task endpoint. Fill it, Start it, serve Handler, and
// Shutdown it.
type Server struct {
	Config *config.Config
	Engine *policy.Engine
	// HCP reads the plan (with each request's token) and the earlier
	// environments' state (with its own token); its Address is the only
	// host tokens are sent to.
	HCP *hcp.Client
	// HMACKey is the run task's key; empty means requests are unsigned.
	HMACKey []byte
	// Check carries the check's options for every run: FailOn,
	// PolicyTimeout, MaxInputSize, Sources. Inputs, Target, InputData and
	// HCP are the server's.
	Check check.Options
	Log   *slog.Logger
	// Workers, Queue, MaxBodyBytes, RunTimeout and MaxOutcomes bound the
	// server; zero means the Default.
	Workers, Queue int
	MaxBodyBytes   int64
	RunTimeout     time.Duration
	MaxOutcomes    int

	queue    chan job
	mu       sync.Mutex
	seen     map[string]time.Time
	closing  bool
	ready    atomic.Bool
	workers  sync.WaitGroup
	runCtx   context.Context
	stopRuns context.CancelFunc
}

type job struct {
	req      *Request
	received time.Time
}

// Start starts the workers; the server is then ready.
func (s *Server) Start() {
	if s.Log == nil {
		s.Log = slog.New(slog.NewJSONHandler(io.Discard, nil))
	}
	s.queue = make(chan job, or(s.Queue, DefaultQueue))
	s.seen = map[string]time.Time{}
	s.runCtx, s.stopRuns = context.WithCancel(context.Background())
	for range or(s.Workers, DefaultWorkers) {
		s.workers.Add(1)
		go func() {
			defer s.workers.Done()
			for j := range s.queue {
				s.run(j)
			}
		}()
	}
	s.ready.Store(true)
}

// Shutdown stops taking requests and waits for the runs queued and in
// flight. When ctx ends first, the runs left are cancelled: each still
// calls back, failed, saying lockstep serve stopped, so no run is left
// waiting for HCP Terraform's timeout.
func (s *Server) Shutdown(ctx context.Context) error {
	s.ready.Store(false)
	s.mu.Lock()
	if !s.closing {
		s.closing = true
		close(s.queue)
	}
	s.mu.Unlock()
	done := make(chan struct{})
	go func() { s.workers.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		s.stopRuns()
		<-done
		return ctx.Err()
	}
}

// Handler serves the run task at /, and /healthz and /readyz.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, "ok\n") })
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, _ *http.Request) {
		if !s.ready.Load() {
			http.Error(w, "not ready", http.StatusServiceUnavailable)
			return
		}
		_, _ = io.WriteString(w, "ready\n")
	})
	mux.HandleFunc("POST /{$}", s.task)
	return mux
}

// task takes one request: bounded read, signature on the raw bytes, then
// decoding, then a place in the queue, then 200 at once.
func (s *Server) task(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, or64(s.MaxBodyBytes, DefaultMaxBodyBytes)))
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			s.Log.Warn("request refused: body too large", "limit", tooLarge.Limit)
			http.Error(w, "request body too large", http.StatusRequestEntityTooLarge)
			return
		}
		http.Error(w, "could not read the request body", http.StatusBadRequest)
		return
	}
	if err := Verify(s.HMACKey, body, r.Header.Get(SignatureHeader)); err != nil {
		var se *SignatureError
		errors.As(err, &se)
		s.Log.Warn("request refused: "+se.Reason, "status", se.Status)
		http.Error(w, se.Reason, se.Status)
		return
	}
	req, err := Parse(body)
	if err != nil {
		s.Log.Warn("request refused", "error", err.Error())
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if req.Verification() {
		s.Log.Info("verification request answered", "organization", req.OrganizationName)
		w.WriteHeader(http.StatusOK)
		return
	}
	switch s.enqueue(job{req: req, received: time.Now()}) {
	case enqueued:
		s.Log.Info("run queued", req.LogAttrs()...)
	case duplicate:
		s.Log.Info("duplicate request: already taken", req.LogAttrs()...)
	case full:
		s.Log.Warn("request refused: queue full", req.LogAttrs()...)
		http.Error(w, "lockstep serve is busy: queue full", http.StatusServiceUnavailable)
		return
	case closed:
		http.Error(w, "lockstep serve is shutting down", http.StatusServiceUnavailable)
		return
	}
	w.WriteHeader(http.StatusOK)
}

type queued int

const (
	enqueued queued = iota
	duplicate
	full
	closed
)

// enqueue takes a request once per task_result_id; a full queue forgets
// it again, so that HCP Terraform's retry can get in later.
func (s *Server) enqueue(j job) queued {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closing {
		return closed
	}
	id := j.req.TaskResultID
	if _, ok := s.seen[id]; ok {
		return duplicate
	}
	select {
	case s.queue <- j:
	default:
		return full
	}
	if len(s.seen) >= 1024 { // prune now and then, not on every request
		for k, at := range s.seen {
			if j.received.Sub(at) > seenFor {
				delete(s.seen, k)
			}
		}
	}
	s.seen[id] = j.received
	return enqueued
}

func or(v, d int) int {
	if v > 0 {
		return v
	}
	return d
}

func or64(v, d int64) int64 {
	if v > 0 {
		return v
	}
	return d
}

// CheckConfig refuses, at start, a lockstep.hcl that could not gate any
// run: none would pass, and each would fail saying the same thing.
func CheckConfig(cfg *config.Config) error {
	if cfg == nil {
		return errors.New("lockstep serve needs a lockstep.hcl: give --config, with a promotion order and hcp_workspace in the environments")
	}
	for _, e := range cfg.Environments {
		if e.HCPWorkspace != "" {
			if len(cfg.Promotion) == 0 {
				return fmt.Errorf("%s declares no promotion order: lockstep serve compares a run with the environment before it; set promotion", cfg.Filename)
			}
			return nil
		}
	}
	return fmt.Errorf("%s maps no environment to an HCP Terraform workspace: set hcp_workspace = \"ORG/NAME\" in the environment blocks", cfg.Filename)
}
