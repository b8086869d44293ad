package parity

// quiet reports whether a walk below sides can find nothing: every side
// holds the same value as written (same strings, equal numbers, same
// keys), none holds a secret, and nothing is unknown. Such a subtree has
// no path that differs, no shared secret and no unknown value, whatever
// the normalisation, so the walk steps over it. Most of a large plan is
// such subtrees, and checking them plainly costs a fraction of walking
// them (sorting keys, building paths, normalising strings).
func quiet(sides []side) bool {
	if len(sides) < 2 {
		return false
	}
	for _, sd := range sides {
		if sd.unknown != nil {
			return false
		}
	}
	for _, sd := range sides[1:] {
		if !rawEqual(sides[0].v, sd.v, false) {
			return false
		}
	}
	return true
}
