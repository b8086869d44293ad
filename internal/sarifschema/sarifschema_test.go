package sarifschema

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"strings"
	"testing"
)

// TestProvenance keeps the schema file the one SOURCES.md names.
func TestProvenance(t *testing.T) {
	sources, err := os.ReadFile("SOURCES.md")
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(schemaJSON)
	if !strings.Contains(string(sources), hex.EncodeToString(sum[:])) {
		t.Errorf("SOURCES.md does not record the schema's sha256 %x", sum)
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name, doc string
		ok        bool
	}{
		{"minimal", `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"lockstep"}},"results":[]}]}`, true},
		{"wrong version", `{"version":"2.0.0","runs":[]}`, false},
		{"no tool", `{"version":"2.1.0","runs":[{"results":[]}]}`, false},
		{"not JSON", `{`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Validate([]byte(tt.doc))
			if (err == nil) != tt.ok {
				t.Errorf("Validate: %v, want ok=%v", err, tt.ok)
			}
		})
	}
}
