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
	heads heads
}

func newNameSet(names []string) *nameSet {
	s := &nameSet{names: make(map[string]bool, len(names))}
	for _, n := range names {
		s.names[n] = true
		s.heads.add(n)
	}
	return s
}

// has reports whether name is in the set; a nil set holds none.
func (s *nameSet) has(name string) bool {
	return s != nil && s.heads.mayHave(name) && s.names[name]
}
