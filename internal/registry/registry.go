// Package registry is the explicit, name-keyed registry both output-format
// families (reports and rule docs) use, so a format is added by one map
// entry and an unknown name gets the same message everywhere.
package registry

import (
	"fmt"
	"sort"
	"strings"
)

// Registry maps format names to implementations.
type Registry[F any] map[string]F

// Names lists the names, sorted.
func (r Registry[F]) Names() []string {
	names := make([]string, 0, len(r))
	for n := range r {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Lookup returns the implementation for a name, or an error listing the
// available ones.
func (r Registry[F]) Lookup(name string) (F, error) {
	f, ok := r[name]
	if !ok {
		var zero F
		return zero, fmt.Errorf("unknown format %q (available: %s)", name, strings.Join(r.Names(), ", "))
	}
	return f, nil
}
