// Package hcpfake is a stand-in for HCP Terraform in the test process: it
// serves the documented shapes of the endpoints lockstep uses (a workspace
// by name, its current state version, the JSON state download, a run's
// plan JSON through a redirect) from real Terraform fixtures, and records
// the run task callbacks it receives. Downloads are served by a second
// server, as HCP Terraform's are by its object storage, so a test can see
// that no token follows a redirect there. Faults are set per workspace or
// per callback, so tests can make a download fail, hang or vanish.
package hcpfake

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"
)

// Fault is what a download does instead of answering.
type Fault int

// Faults.
const (
	OK Fault = iota
	Fail500
	Hang
	NotFound
)

// Workspace is one workspace the stand-in serves.
type Workspace struct {
	ID string
	// State is the JSON state (terraform show -json); nil means no state
	// version at all.
	State []byte
	// TerraformVersion is the state version's; NoJSON serves no
	// hosted-json-state-download-url (a state before Terraform 1.3).
	TerraformVersion string
	NoJSON           bool
	Fault            Fault
}

// Callback is one PATCH of a task result.
type Callback struct {
	TaskResult    string
	Authorization string
	ContentType   string
	Status        string
	Message       string
	Body          []byte
}

// Server is the stand-in: API is HCP Terraform's address, Storage the
// download host.
type Server struct {
	API, Storage *httptest.Server
	// Token is the API token that reads state; RunToken the run's access token.
	Token, RunToken string

	mu         sync.Mutex
	workspaces map[string]*Workspace // "org/name"
	plans      map[string][]byte     // plan id → plan JSON
	callbacks  []Callback
	// CallbackFailures answers this many callbacks with 503 first.
	CallbackFailures int
	// StorageAuth records the Authorization headers the storage host saw.
	StorageAuth []string
	// Requests counts API requests by path prefix, for tests of caching.
	Requests map[string]int
	hang     chan struct{}
}

// New starts both servers; Close stops them.
func New() *Server {
	s := &Server{Token: "api-token-SECRET-7f3a", RunToken: "run-token-SECRET-91be", workspaces: map[string]*Workspace{},
		plans: map[string][]byte{}, Requests: map[string]int{}, hang: make(chan struct{})}
	s.Storage = httptest.NewServer(http.HandlerFunc(s.storage))
	s.API = httptest.NewServer(http.HandlerFunc(s.api))
	return s
}

// Close releases hanging downloads and stops both servers.
func (s *Server) Close() {
	s.mu.Lock()
	select {
	case <-s.hang:
	default:
		close(s.hang)
	}
	s.mu.Unlock()
	s.API.Close()
	s.Storage.Close()
}

// SetWorkspace serves a workspace under "org/name".
func (s *Server) SetWorkspace(name string, w Workspace) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if w.ID == "" {
		w.ID = "ws-" + strings.NewReplacer("/", "-").Replace(name)
	}
	if w.TerraformVersion == "" {
		w.TerraformVersion = "1.11.4"
	}
	s.workspaces[name] = &w
}

// SetPlan serves a plan; PlanURL is its plan_json_api_url.
func (s *Server) SetPlan(id string, data []byte) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.plans[id] = data
	return s.API.URL + "/api/v2/plans/" + id + "/json-output"
}

// CallbackURL is a task result's task_result_callback_url.
func (s *Server) CallbackURL(taskResult string) string {
	return s.API.URL + "/api/v2/task-results/" + taskResult + "/callback"
}

// Callbacks returns the callbacks received so far, for one task result
// ("" for all).
func (s *Server) Callbacks(taskResult string) []Callback {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Callback
	for _, c := range s.callbacks {
		if taskResult == "" || c.TaskResult == taskResult {
			out = append(out, c)
		}
	}
	return out
}

// WaitFinal waits until taskResult has a passed or failed callback.
func (s *Server) WaitFinal(taskResult string, timeout time.Duration) ([]Callback, bool) {
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		cbs := s.Callbacks(taskResult)
		for _, c := range cbs {
			if c.Status == "passed" || c.Status == "failed" {
				return cbs, true
			}
		}
		time.Sleep(5 * time.Millisecond)
	}
	return s.Callbacks(taskResult), false
}

func (s *Server) api(w http.ResponseWriter, r *http.Request) {
	p := strings.Split(strings.TrimPrefix(r.URL.Path, "/api/v2/"), "/")
	s.mu.Lock()
	s.Requests[p[0]]++
	s.mu.Unlock()
	auth := r.Header.Get("Authorization")
	switch {
	case r.Method == http.MethodGet && len(p) == 4 && p[0] == "organizations" && p[2] == "workspaces":
		if auth != "Bearer "+s.Token {
			jsonAPIError(w, http.StatusUnauthorized)
			return
		}
		s.workspace(w, p[1]+"/"+p[3])
	case r.Method == http.MethodGet && len(p) == 3 && p[0] == "workspaces" && p[2] == "current-state-version":
		if auth != "Bearer "+s.Token {
			jsonAPIError(w, http.StatusUnauthorized)
			return
		}
		s.stateVersion(w, p[1])
	case r.Method == http.MethodGet && len(p) == 3 && p[0] == "plans" && p[2] == "json-output":
		if auth != "Bearer "+s.RunToken {
			jsonAPIError(w, http.StatusUnauthorized)
			return
		}
		// HCP Terraform redirects to a signed, short-lived URL.
		http.Redirect(w, r, s.Storage.URL+"/plans/"+p[1]+"?signature=SIGNED-QUERY-SECRET", http.StatusTemporaryRedirect)
	case r.Method == http.MethodPatch && len(p) == 3 && p[0] == "task-results" && p[2] == "callback":
		s.callback(w, r, p[1], auth)
	default:
		jsonAPIError(w, http.StatusNotFound)
	}
}

func (s *Server) workspace(w http.ResponseWriter, name string) {
	s.mu.Lock()
	ws := s.workspaces[name]
	s.mu.Unlock()
	if ws == nil {
		jsonAPIError(w, http.StatusNotFound)
		return
	}
	writeDoc(w, map[string]any{"data": map[string]any{"id": ws.ID, "type": "workspaces",
		"attributes": map[string]any{"name": name[strings.IndexByte(name, '/')+1:], "terraform-version": ws.TerraformVersion}}})
}

func (s *Server) byID(id string) (string, *Workspace) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for name, ws := range s.workspaces {
		if ws.ID == id {
			return name, ws
		}
	}
	return "", nil
}

func (s *Server) stateVersion(w http.ResponseWriter, id string) {
	_, ws := s.byID(id)
	if ws == nil || ws.State == nil {
		jsonAPIError(w, http.StatusNotFound)
		return
	}
	var jsonURL any = s.Storage.URL + "/states/" + id + "?signature=SIGNED-QUERY-SECRET"
	if ws.NoJSON {
		jsonURL = nil
	}
	writeDoc(w, map[string]any{"data": map[string]any{"id": "sv-" + id, "type": "state-versions",
		"attributes": map[string]any{"serial": 7, "status": "finalized", "resources-processed": true,
			"terraform-version": ws.TerraformVersion, "hosted-state-download-url": s.Storage.URL + "/raw/" + id,
			"hosted-json-state-download-url": jsonURL}}})
}

func (s *Server) storage(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.StorageAuth = append(s.StorageAuth, r.Header.Get("Authorization"))
	s.mu.Unlock()
	if r.URL.Query().Get("signature") != "SIGNED-QUERY-SECRET" {
		http.Error(w, "bad signature", http.StatusForbidden)
		return
	}
	p := strings.Split(strings.TrimPrefix(r.URL.Path, "/"), "/")
	if len(p) != 2 {
		http.NotFound(w, r)
		return
	}
	switch p[0] {
	case "plans":
		s.mu.Lock()
		data, ok := s.plans[p[1]]
		s.mu.Unlock()
		if !ok {
			http.NotFound(w, r)
			return
		}
		_, _ = w.Write(data)
	case "states":
		_, ws := s.byID(p[1])
		if ws == nil {
			http.NotFound(w, r)
			return
		}
		switch ws.Fault {
		case Fail500:
			http.Error(w, "storage failed", http.StatusInternalServerError)
		case NotFound:
			http.NotFound(w, r)
		case Hang:
			select {
			case <-r.Context().Done():
			case <-s.hang:
			}
		default:
			_, _ = w.Write(ws.State)
		}
	default:
		http.NotFound(w, r)
	}
}

func (s *Server) callback(w http.ResponseWriter, r *http.Request, id, auth string) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, 8<<20))
	if auth != "Bearer "+s.RunToken {
		jsonAPIError(w, http.StatusUnauthorized)
		return
	}
	var doc struct {
		Data struct {
			Type       string `json:"type"`
			Attributes struct {
				Status, Message string
			} `json:"attributes"`
		} `json:"data"`
	}
	if err := json.Unmarshal(body, &doc); err != nil || doc.Data.Type != "task-results" {
		jsonAPIError(w, http.StatusUnprocessableEntity)
		return
	}
	s.mu.Lock()
	if s.CallbackFailures > 0 {
		s.CallbackFailures--
		s.mu.Unlock()
		jsonAPIError(w, http.StatusServiceUnavailable)
		return
	}
	s.callbacks = append(s.callbacks, Callback{TaskResult: id, Authorization: auth, ContentType: r.Header.Get("Content-Type"),
		Status: doc.Data.Attributes.Status, Message: doc.Data.Attributes.Message, Body: body})
	s.mu.Unlock()
	w.WriteHeader(http.StatusOK)
}

func writeDoc(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/vnd.api+json")
	_ = json.NewEncoder(w).Encode(v)
}

func jsonAPIError(w http.ResponseWriter, status int) {
	w.Header().Set("Content-Type", "application/vnd.api+json")
	w.WriteHeader(status)
	fmt.Fprintf(w, `{"errors":[{"status":"%d","title":%q}]}`, status, http.StatusText(status))
}
