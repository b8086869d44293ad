package parity

// envSet is a set of environment indexes, one bit per environment, as many
// words long as the highest index needs: a check may compare any number of
// environments, and shared-secret detection must see all of them.
type envSet []uint64

func (s envSet) has(i int) bool {
	w := i / 64
	return w < len(s) && s[w]&(1<<uint(i%64)) != 0
}

func (s *envSet) add(i int) {
	for len(*s) <= i/64 {
		*s = append(*s, 0)
	}
	(*s)[i/64] |= 1 << uint(i%64)
}

func (s *envSet) union(o envSet) {
	for i, w := range o {
		for len(*s) <= i {
			*s = append(*s, 0)
		}
		(*s)[i] |= w
	}
}

// equal compares the members, whatever the lengths (a missing word is 0).
func (s envSet) equal(o envSet) bool {
	for i := range max(len(s), len(o)) {
		var a, b uint64
		if i < len(s) {
			a = s[i]
		}
		if i < len(o) {
			b = o[i]
		}
		if a != b {
			return false
		}
	}
	return true
}
