package workdir

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"
)

// TestReadAll: results and errors come back in the order of the specs, one
// failure does not stop the others, and no more than parallelism reads run
// at once (a read blocked in its progress callback holds its slot).
func TestReadAll(t *testing.T) {
	bin := terraformBin(t)
	dir := workspacesDir(t, bin, mainTF, nil, "", "a", "b", "c", "d")
	var mu sync.Mutex
	running, most := 0, 0
	slow := func(st Stage) {
		mu.Lock()
		switch st {
		case Reading:
			running++
			most = max(most, running)
		case Done, Failed:
			running--
		}
		mu.Unlock()
		if st == Reading {
			time.Sleep(50 * time.Millisecond)
		}
	}
	var specs []Spec
	for _, ws := range []string{"a", "b", "missing", "c", "d"} {
		specs = append(specs, Spec{Env: ws, Dir: dir, Progress: slow})
	}
	results, errs := ReadAll(context.Background(), specs, 2)
	for i, s := range specs {
		if s.Env == "missing" {
			var m *WorkspaceMissingError
			if !errors.As(errs[i], &m) || results[i] != nil {
				t.Errorf("%s: %v", s.Env, errs[i])
			}
			continue
		}
		if errs[i] != nil || results[i].Env != s.Env || results[i].Provenance.Workspace != s.Env {
			t.Errorf("%s: %v %+v", s.Env, errs[i], results[i])
		}
	}
	if most != 2 {
		t.Errorf("%d reads at once, want 2", most)
	}
}
