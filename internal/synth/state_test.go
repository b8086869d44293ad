package synth

import (
	"bytes"
	"testing"

	"github.com/lockstep-iac/lockstep/parser"
)

// TestWriteState: the state is one the parser reads as a raw state, with
// every instance WritePlan's prior state has and user_data marked.
func TestWriteState(t *testing.T) {
	for _, tc := range []struct {
		spec Spec
		want int
	}{
		{Spec{Env: "staging", Resources: 1000, Divergent: true}, 1000},
		{Spec{Env: "production", Resources: 1000}, 1000 - 3}, // 0, 499, 998 skipped
	} {
		var buf bytes.Buffer
		if err := WriteState(&buf, tc.spec, "lineage"); err != nil {
			t.Fatal(err)
		}
		d, err := parser.Decode(tc.spec.Env, buf.Bytes(), parser.Options{Key: []byte("k")})
		if err != nil {
			t.Fatal(err)
		}
		snap := d.Snapshot(parser.Union(d))
		if snap.Kind != "raw-state" || len(snap.Resources) != tc.want {
			t.Errorf("%s: %s with %d resources, want raw-state with %d", tc.spec.Env, snap.Kind, len(snap.Resources), tc.want)
		}
		r := snap.Resources["module.svc1.aws_instance.web[1]"]
		if r == nil || r.Now.Sensitive["user_data"] == "" {
			t.Errorf("%s: user_data not marked: %+v", tc.spec.Env, r)
		}
	}
}
