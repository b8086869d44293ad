package parity

// heads is the lengths and first bytes of a set's strings: a string whose
// length and first byte no member has is no member. The comparison and the
// reference search ask a few sets (ignored names, identifiers) about every
// string or name of every object they visit, millions of times on a large
// plan, and most are not in them; heads settles those in an 8 KiB bitmap
// that stays in the CPU's cache, where a map lookup hashes the string and
// mostly misses the cache on a large set. It never answers no for a
// member, so a set consulted through it answers as without it.
type heads [256][4]uint64

// add records s as a member.
func (h *heads) add(s string) {
	if s != "" {
		h[min(len(s), 255)][s[0]>>6] |= 1 << (s[0] & 63)
	}
}

// mayHave reports whether s may be a member: false only if no member has
// its length (lengths of 255 and more counted as one) and first byte.
func (h *heads) mayHave(s string) bool {
	return s == "" || h[min(len(s), 255)][s[0]>>6]&(1<<(s[0]&63)) != 0
}
