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
