package runtask

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lockstep-iac/lockstep/check"
	"github.com/lockstep-iac/lockstep/hcp"
	"github.com/lockstep-iac/lockstep/internal/hcpfake"
	"github.com/lockstep-iac/lockstep/policy"
)

const testConfig = `
promotion = ["staging", "production"]
environment "staging"    { hcp_workspace = "acme/{stack}-{env}" }
environment "production" { hcp_workspace = "acme/{stack}-{env}" }
`

var testKey = []byte("hmac-key-SECRET-5d1c")

// syncBuffer collects the server's log lines from its goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// harness is a started Server behind a loopback listener, talking to the
// stand-in for HCP Terraform.
type harness struct {
	fake *hcpfake.Server
	srv  *Server
	http *httptest.Server
	logs *syncBuffer
}

var (
	engineOnce sync.Once
	engine     *policy.Engine
	engineErr  error
)

func newHarness(t *testing.T, mod func(*Server)) *harness {
	t.Helper()
	engineOnce.Do(func() { engine, engineErr = policy.New(context.Background(), policy.Options{}) })
	if engineErr != nil {
		t.Fatal(engineErr)
	}
	path := filepath.Join(t.TempDir(), "lockstep.hcl")
	if err := os.WriteFile(path, []byte(testConfig), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := check.LoadConfig(path, engine)
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{fake: hcpfake.New(), logs: &syncBuffer{}}
	h.srv = &Server{Config: cfg, Engine: engine, HCP: &hcp.Client{Address: h.fake.API.URL, Token: h.fake.Token}, HMACKey: testKey,
		Log: slog.New(slog.NewJSONHandler(h.logs, nil))}
	if mod != nil {
		mod(h.srv)
	}
	h.srv.Start()
	h.http = httptest.NewServer(h.srv.Handler())
	t.Cleanup(func() {
		h.http.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = h.srv.Shutdown(ctx)
		h.fake.Close()
	})
	return h
}

func fixture(t testing.TB, path string) []byte {
	t.Helper()
	data, err := os.ReadFile("../testdata/scenarios/" + path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// request is a run task request for workspace ORG/NAME with its plan
// served by the stand-in.
func (h *harness) request(taskResult, workspace string, plan []byte) []byte {
	org, name, _ := strings.Cut(workspace, "/")
	planURL := h.fake.SetPlan("plan-"+taskResult, plan)
	body, _ := json.Marshal(map[string]any{
		"payload_version": 1, "stage": "pre_apply", "access_token": h.fake.RunToken,
		"capabilities": map[string]any{"outcomes": true}, "plan_json_api_url": planURL,
		"task_result_callback_url": h.fake.CallbackURL(taskResult), "task_result_enforcement_level": "mandatory",
		"task_result_id": taskResult, "run_id": "run-" + taskResult, "run_app_url": "https://app.terraform.io/app/acme/" + name + "/runs/run-" + taskResult,
		"is_speculative": false, "organization_name": org, "workspace_id": "ws-" + name, "workspace_name": name,
		"workspace_working_directory": "", "project_name": "Default Project",
	})
	return body
}

// post sends body signed with key ("" header when key is nil).
func (h *harness) post(t testing.TB, body, key []byte) *http.Response {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, h.http.URL+"/", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	sig := ""
	if key != nil {
		sig = hex.EncodeToString(Sign(key, body))
	}
	req.Header.Set(SignatureHeader, sig)
	resp, err := h.http.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp
}

// final is the one passed or failed callback of a task result.
func (h *harness) final(t testing.TB, taskResult string) hcpfake.Callback {
	t.Helper()
	cbs, ok := h.fake.WaitFinal(taskResult, 20*time.Second)
	if !ok {
		t.Fatalf("no final callback for %s; got %+v", taskResult, cbs)
	}
	var finals []hcpfake.Callback
	for _, c := range cbs {
		if c.Status == StatusPassed || c.Status == StatusFailed {
			finals = append(finals, c)
		}
	}
	if len(finals) != 1 {
		t.Fatalf("%d final callbacks for %s, want 1", len(finals), taskResult)
	}
	return finals[0]
}

// outcomeIDs reads a callback's outcomes.
func outcomes(t testing.TB, c hcpfake.Callback) []Outcome {
	t.Helper()
	var doc struct {
		Data struct {
			Relationships struct {
				Outcomes struct {
					Data []struct {
						Type       string  `json:"type"`
						Attributes Outcome `json:"attributes"`
					} `json:"data"`
				} `json:"outcomes"`
			} `json:"relationships"`
		} `json:"data"`
	}
	if err := json.Unmarshal(c.Body, &doc); err != nil {
		t.Fatal(err)
	}
	var out []Outcome
	for _, d := range doc.Data.Relationships.Outcomes.Data {
		if d.Type != "task-result-outcomes" {
			t.Errorf("outcome type %q", d.Type)
		}
		out = append(out, d.Attributes)
	}
	return out
}
