package parity

// Divergence names, for one attribute the plans leave different, the
// environment whose plan takes it away from its neighbour in promotion
// order, so that a message can say who diverges instead of listing every
// environment whose plan touches the path.
type Divergence struct {
	// Env's plan changes the path to a known value that differs from
	// Versus's value after the plans.
	Env string `json:"env"`
	// Versus is Env's neighbour in promotion order that has the resource
	// after the plans: the nearest one before it, or after it when every
	// change agrees with the environment before (see divergence).
	Versus string `json:"versus"`
}

// afterLeaf is one environment's planned value at an attribute path.
type afterLeaf struct {
	env     int
	present bool // the resource exists after the plan
	v       any
	unknown bool
	changed bool
}

// divergence picks who diverges at one path. Only a changing environment
// with a known planned value can diverge: "known after apply" is not a
// value to differ by (a pair of environments would not report it either),
// and differences among the other environments are not its doing. A
// changing environment is first measured against the environment before
// it, so with staging and production both changing, production diverges
// from staging; when every change agrees with the environment before it
// (dev and staging both move, production stays), against the one after it.
func (c *comparer) divergence(leaves []afterLeaf, path []string) *Divergence {
	idKey := isIdentifierKey(path)
	for _, dir := range []int{-1, 1} {
		for i, l := range leaves {
			if !l.present || !l.changed || l.unknown {
				continue
			}
			n := nearest(leaves, i, dir)
			if n < 0 || leaves[n].unknown {
				continue
			}
			if !c.equal(side{env: l.env, v: l.v}, side{env: leaves[n].env, v: leaves[n].v}, idKey) {
				return &Divergence{Env: c.b.envs[l.env].env.Name, Versus: c.b.envs[leaves[n].env].env.Name}
			}
		}
	}
	return nil
}

// nearest returns the index of the nearest present leaf from i in
// direction dir (-1 before, 1 after), or -1.
func nearest(leaves []afterLeaf, i, dir int) int {
	for j := i + dir; j >= 0 && j < len(leaves); j += dir {
		if leaves[j].present {
			return j
		}
	}
	return -1
}
