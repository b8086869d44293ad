package progress

import (
	"bytes"
	"strings"
	"testing"

	"github.com/lockstep-iac/lockstep/workdir"
)

// TestDisplay: one line per environment with its last state when shown,
// and not a byte when not.
func TestDisplay(t *testing.T) {
	for _, show := range []bool{true, false} {
		var buf bytes.Buffer
		d := New(&buf, show)
		staging, production := d.Track("staging"), d.Track("production")
		for _, st := range []workdir.Stage{workdir.Reading, workdir.Planning, workdir.Done} {
			staging(st)
		}
		production(workdir.Reading)
		production(workdir.Failed)
		d.Wait()
		d.Wait() // a second call returns
		out := buf.String()
		if !show {
			if out != "" {
				t.Errorf("printed when not shown: %q", out)
			}
			continue
		}
		for _, want := range []string{"staging", "done in 0.", "production", "failed"} {
			if !strings.Contains(out, want) {
				t.Errorf("no %q in %q", want, out)
			}
		}
	}
}

// TestCounter: the bar shows items done of the total and the last one; with
// show unset it writes nothing at all.
func TestCounter(t *testing.T) {
	var shown, hidden strings.Builder
	on := NewCounter(&shown, true, "lockstep report", 3)
	off := NewCounter(&hidden, false, "lockstep report", 3)
	for _, s := range []string{"alpha", "bravo", "charlie"} {
		on.Done(s)
		off.Done(s)
	}
	on.Wait()
	off.Wait()
	if out := shown.String(); !strings.Contains(out, "3/3") || !strings.Contains(out, "charlie") || !strings.Contains(out, "lockstep report") {
		t.Errorf("the bar shows %q, want 3/3 and the last stack", out)
	}
	if hidden.Len() != 0 {
		t.Errorf("hidden progress wrote %q", hidden.String())
	}
	var nilCounter *Counter
	nilCounter.Done("x")
	nilCounter.Wait()
}
