package policy

import (
	"context"
	"testing"
)

// BenchmarkNew is the engine's share of a run's start-up: parsing and
// compiling the built-in rules and preparing one query per rule, which
// every `lockstep check` pays before reading its first input.
func BenchmarkNew(b *testing.B) {
	for b.Loop() {
		if _, err := New(context.Background(), Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
