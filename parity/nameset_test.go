package parity

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// TestNameSet: the set answers as a map of its names does, for its names,
// for names that share a member's length and first byte, for the empty
// name, for names of 255 bytes and more (whose lengths the heads count as
// one), for bytes above 127, and for many random names.
func TestNameSet(t *testing.T) {
	long := strings.Repeat("x", 255) + "_id"
	members := append([]string{"", long, "\xffé", "é_x"}, DefaultIgnore...)
	s := newNameSet(members)
	want := map[string]bool{}
	for _, m := range members {
		want[m] = true
	}
	asked := []string{"ix", "ie", "arx", "tx", "created_ax", "private_iq", long[:len(long)-1] + "x", long + "s",
		"\xffè", "é_y", "\xfe\xff", "x", "name", "tags", "id_", "ID", "Id", strings.Repeat("y", 254), strings.Repeat("x", 255), strings.Repeat("x", 300)}
	asked = append(asked, members...)
	rng := rand.New(rand.NewPCG(1, 2))
	for range 100000 {
		b := make([]byte, rng.IntN(300))
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

// TestHeads: heads never answers no for a member (whatever its length or
// bytes), and answers no for most strings of other lengths and first
// bytes, which is what it is for.
func TestHeads(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	word := func() string {
		b := make([]byte, rng.IntN(400))
		for i := range b {
			b[i] = byte(rng.IntN(256))
		}
		return string(b)
	}
	var h heads
	members := map[string]bool{"": true}
	for range 300 {
		members[word()] = true
	}
	for m := range members {
		h.add(m)
	}
	for m := range members {
		if !h.mayHave(m) {
			t.Errorf("mayHave(%q) = false for a member", m)
		}
	}
	no := 0
	for range 10000 {
		if w := word(); !members[w] && !h.mayHave(w) {
			no++
		}
	}
	if no < 8000 {
		t.Errorf("heads of 300 members settled %d of 10000 other strings, want most", no)
	}
}
