package parser_test

import (
	"bytes"
	"testing"

	"github.com/lockstep-iac/lockstep/internal/synth"
)

// TestNoExponents checks that a snapshot says it holds no number written
// with an exponent only when none was read: the policy input then skips
// replacing the numbers OPA cannot hold, so a wrong true would hand OPA
// one.
func TestNoExponents(t *testing.T) {
	var plan bytes.Buffer
	if err := synth.WritePlan(&plan, synth.Spec{Env: "staging", Resources: 3}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		data []byte
		want bool
	}{
		{"plan", plan.Bytes(), true},
		{"plan with 3e3 in prior_state", lastReplaced(plan.Bytes(), `"iops":3000`, `"iops":3e3`), false},
		{"plan with 3E+3 everywhere", bytes.ReplaceAll(plan.Bytes(), []byte(`"iops":3000`), []byte(`"iops":3E+3`)), false},
		{"raw state, not decoded by decodeJSON", mustRead(t, scenariosDir+"/e-cross-env-reference/staging.tfstate"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			snap := mustParseBytes(t, tt.name+".json", tt.data)
			if snap.NoExponents != tt.want {
				t.Errorf("NoExponents = %v, want %v", snap.NoExponents, tt.want)
			}
		})
	}
}

// lastReplaced replaces the last occurrence of old: prior_state, which
// Terraform writes last.
func lastReplaced(data []byte, old, new string) []byte {
	i := bytes.LastIndex(data, []byte(old))
	if i < 0 {
		return data
	}
	return append(append(bytes.Clone(data[:i]), new...), data[i+len(old):]...)
}
