package parity

// scoped is a declared difference limited to some environments
// (expect_difference with environments = [...]): at its paths those
// environments leave the comparison, and the others are still compared
// with each other, so "dev runs newer images" does not hide staging and
// production running different ones.
type scoped struct {
	paths []PathMatcher
	envs  envSet
}

// scopeOf returns the environment indexes of names, the environments of
// this run that a scoped declaration lists; names of environments not in
// this run are left out, as they have nothing to compare.
func (b *builder) scopeOf(names []string) envSet {
	var s envSet
	for i, ix := range b.envs {
		for _, n := range names {
			if ix.env.Name == n {
				s.add(i)
			}
		}
	}
	return s
}

// excluded returns the environments that scoped declarations take out of
// the comparison at path (nil when none do). A declared path covers what
// lies beneath it, so the set only grows on the way down.
func (c *comparer) excluded(path []string) envSet {
	var out envSet
	for _, s := range c.scoped {
		for _, m := range s.paths {
			if m.Match(path) {
				out.union(s.envs)
				break
			}
		}
	}
	return out
}

// scope drops the sides of the environments excluded at path. It returns
// sides itself when none is dropped; otherwise a new slice, since sides is
// the caller's frame buffer.
func (c *comparer) scope(path []string, sides []side) []side {
	if len(c.scoped) == 0 || len(path) == 0 {
		return sides
	}
	ex := c.excluded(path)
	if ex == nil {
		return sides
	}
	var kept []side
	for i, sd := range sides {
		if ex.has(sd.env) {
			if kept == nil {
				kept = append(make([]side, 0, len(sides)), sides[:i]...)
			}
			continue
		}
		if kept != nil {
			kept = append(kept, sd)
		}
	}
	if kept == nil {
		return sides
	}
	return kept
}
