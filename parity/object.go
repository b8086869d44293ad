package parity

import "github.com/lockstep-iac/lockstep/snapshot"

// The objects of decoded values are *snapshot.Attributes (the reader's);
// maps are what code and tests build (masks are maps too). The walks that
// descend objects of either kind ask these, and snapshot.Member.

// isObject reports whether v is an object of either kind.
func isObject(v any) bool {
	switch v.(type) {
	case *snapshot.Attributes, map[string]any:
		return true
	}
	return false
}

// appendNames appends the names of object v's members.
func appendNames(names []string, v any) []string {
	switch t := v.(type) {
	case *snapshot.Attributes:
		return append(names, t.Names()...)
	case map[string]any:
		for k := range t {
			names = append(names, k)
		}
	}
	return names
}
