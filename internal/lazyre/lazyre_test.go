package lazyre

import (
	"sync"
	"testing"
)

// TestNew: the expression is compiled once, on first use, and shared by
// every caller, concurrent ones included; an invalid one panics when used.
func TestNew(t *testing.T) {
	re := New(`^a+b$`)
	var wg sync.WaitGroup
	got := make([]any, 8)
	for i := range got {
		wg.Go(func() { got[i] = re() })
	}
	wg.Wait()
	for _, g := range got[1:] {
		if g != got[0] {
			t.Fatal("callers got different compiled expressions")
		}
	}
	if !re().MatchString("aab") || re().MatchString("ab ") {
		t.Error("the expression does not match as written")
	}
	bad := New(`(`) // no panic until used
	defer func() {
		if recover() == nil {
			t.Error("an invalid expression did not panic when used")
		}
	}()
	bad()
}
