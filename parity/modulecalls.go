package parity

import (
	"maps"
	"slices"

	"github.com/lockstep-iac/lockstep/snapshot"
)

// moduleCall is one module call matched across environments: its name for
// the report and its literal address in each environment that has it.
type moduleCall struct {
	name    string
	literal map[int]string // environment index to the call's address there
}

// moduleCalls matches the environments' module calls the way resources are
// matched: by address with environment tokens replaced, so module.app_staging
// and module.app_prod (alias prod) are one call, not two calls each missing
// from the other environment. A call is named by its address in the first
// environment (promotion order) that has it. Two calls of one environment
// with the same canonical address cannot be told apart, so, as with
// resources, they are matched by their literal address instead.
func (b *builder) moduleCalls() []moduleCall {
	byCanonical := map[string]*moduleCall{}
	var order []string
	for i, ix := range b.envs {
		mods := ix.env.Snapshot.Modules
		keyOf := map[string]string{}
		count := map[string]int{}
		for addr := range mods {
			c := ix.replaceTokens(addr)
			keyOf[addr] = c
			count[c]++
		}
		for _, addr := range slices.Sorted(maps.Keys(mods)) {
			key := keyOf[addr]
			if count[key] > 1 {
				key = addr
			}
			mc, ok := byCanonical[key]
			if !ok {
				mc = &moduleCall{name: addr, literal: map[int]string{}}
				byCanonical[key] = mc
				order = append(order, key)
			}
			mc.literal[i] = addr
		}
	}
	out := make([]moduleCall, 0, len(order))
	for _, key := range order {
		out = append(out, *byCanonical[key])
	}
	slices.SortFunc(out, func(a, b moduleCall) int {
		switch {
		case a.name < b.name:
			return -1
		case a.name > b.name:
			return 1
		}
		return 0
	})
	return out
}

// call returns env's call of mc, and whether it has one.
func (mc moduleCall) call(env int, s *snapshot.Snapshot) (snapshot.ModuleCall, bool) {
	addr, ok := mc.literal[env]
	if !ok {
		return snapshot.ModuleCall{}, false
	}
	c, ok := s.Modules[addr]
	return c, ok
}
