package guard

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/lockstep-iac/lockstep/internal/synth"
)

// BenchmarkJSON compares the check with the decoding it precedes.
func BenchmarkJSON(b *testing.B) {
	var buf bytes.Buffer
	if err := synth.WritePlan(&buf, synth.Spec{Env: "staging", Resources: 1000}); err != nil {
		b.Fatal(err)
	}
	src := buf.Bytes()
	b.Run("guard", func(b *testing.B) {
		b.SetBytes(int64(len(src)))
		for b.Loop() {
			if err := JSON(src); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("encoding-json-valid", func(b *testing.B) {
		b.SetBytes(int64(len(src)))
		for b.Loop() {
			if !json.Valid(src) {
				b.Fatal("invalid")
			}
		}
	})
}
