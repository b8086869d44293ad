// Package progress shows, on a terminal, one line per environment while
// lockstep reads it through Terraform (reading, planning, done in N s),
// because a plan of several environments can take minutes and a silent
// terminal looks hung. It writes to standard error only, and nothing at all
// when that is not a terminal (CI logs, pipes) or with --quiet, so that
// reports and logs stay free of cursor movements.
package progress

import (
	"fmt"
	"io"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/lockstep-iac/lockstep/workdir"
	"github.com/mattn/go-isatty"
	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"
)

// Display is the progress of one run; the zero value and nil show nothing.
type Display struct {
	p    *mpb.Progress
	once sync.Once
}

// Terminal says whether f is a terminal, where progress may be shown.
func Terminal(f *os.File) bool {
	return isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd())
}

// New shows progress on w when show is set (see Terminal), else nothing.
func New(w io.Writer, show bool) *Display {
	if !show {
		return &Display{}
	}
	// The caller has decided this is a terminal; mpb would otherwise
	// decide again, and draw nothing into a test buffer.
	return &Display{p: mpb.New(mpb.WithOutput(w), mpb.WithAutoRefresh(), mpb.WithRefreshRate(200*time.Millisecond))}
}

// Track adds an environment's line and returns what workdir.Spec.Progress
// calls as its read goes on.
func (d *Display) Track(env string) func(workdir.Stage) {
	if d == nil || d.p == nil {
		return func(workdir.Stage) {}
	}
	var state atomic.Value
	state.Store("waiting")
	var start time.Time
	bar := d.p.New(1, mpb.NopStyle(),
		mpb.PrependDecorators(decor.Name(env, decor.WCSyncSpaceR), decor.Any(func(decor.Statistics) string { return state.Load().(string) })))
	return func(st workdir.Stage) {
		switch st {
		case workdir.Reading:
			start = time.Now()
			state.Store("reading")
		case workdir.Planning:
			state.Store("planning")
		case workdir.Done:
			state.Store(fmt.Sprintf("done in %.1f s", time.Since(start).Seconds()))
			bar.SetCurrent(1)
		case workdir.Failed:
			state.Store("failed")
			bar.Abort(false)
		}
	}
}

// Wait draws the final lines and returns once every line is complete;
// calling it again does nothing.
func (d *Display) Wait() {
	if d != nil && d.p != nil {
		d.once.Do(d.p.Wait)
	}
}
