package parity

// nameSet is a set of attribute names that is asked about every attribute
// of every object the comparison and the reference search visit, millions
// of times on a large plan, and that holds few names (DefaultIgnore's).
// Most names asked about are not in it, and a name's length and first
// byte settle that for almost all of them without hashing the name: a map
// lookup was most of the reference search's time in a 10k-resource
// comparison.
type nameSet struct {
	names map[string]bool
	// heads has bit c of heads[n] set when a name of n bytes starting
	// with byte c is in the set; names of maxHeadLen bytes or more are
	// looked up in names.
	heads [maxHeadLen][4]uint64
}

const maxHeadLen = 64

func newNameSet(names []string) *nameSet {
	s := &nameSet{names: make(map[string]bool, len(names))}
	for _, n := range names {
		s.names[n] = true
		if n != "" && len(n) < maxHeadLen {
			s.heads[len(n)][n[0]>>6] |= 1 << (n[0] & 63)
		}
	}
	return s
}

// has reports whether name is in the set; a nil set holds none.
func (s *nameSet) has(name string) bool {
	if s == nil {
		return false
	}
	if n := len(name); n > 0 && n < maxHeadLen && s.heads[n][name[0]>>6]&(1<<(name[0]&63)) == 0 {
		return false
	}
	return s.names[name]
}
