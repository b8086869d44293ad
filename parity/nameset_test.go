package parity

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// TestNameSet: the set answers as a map of its names does, for its names,
// for names that share a member's length and first byte, for the empty
// name, for names too long for the heads, for bytes above 127, and for
// many random names.
func TestNameSet(t *testing.T) {
	long := strings.Repeat("x", maxHeadLen) + "_id"
	members := append([]string{"", long, "\xffé", "é_x"}, DefaultIgnore...)
	s := newNameSet(members)
	want := map[string]bool{}
	for _, m := range members {
		want[m] = true
	}
	asked := []string{"ix", "ie", "arx", "tx", "created_ax", "private_iq", long[:len(long)-1] + "x", long + "s",
		"\xffè", "é_y", "\xfe\xff", "x", "name", "tags", "id_", "ID", "Id", strings.Repeat("y", maxHeadLen-1)}
	asked = append(asked, members...)
	rng := rand.New(rand.NewPCG(1, 2))
	for range 100000 {
		b := make([]byte, rng.IntN(maxHeadLen+8))
		for i := range b {
			b[i] = "aeiprtux_\x00\xff"[rng.IntN(11)]
		}
		asked = append(asked, string(b))
	}
	found := 0
	for _, name := range asked {
		if got := s.has(name); got != want[name] {
			t.Errorf("has(%q) = %v, want %v", name, got, want[name])
		}
		if want[name] {
			found++
		}
	}
	if found < len(members) {
		t.Fatalf("only %d of the %d members were asked about", found, len(members))
	}
	var none *nameSet
	for _, empty := range []*nameSet{newNameSet(nil), none} {
		for _, name := range []string{"", "id", long} {
			if empty.has(name) {
				t.Errorf("an empty set has %q", name)
			}
		}
	}
}
