package parity

import "github.com/lockstep-iac/lockstep/snapshot"

// The objects of decoded values are *snapshot.Attributes (the reader's);
// maps are what code and tests build (masks are maps too). The walks that
// descend objects of either kind ask these.

// isObject reports whether v is an object of either kind.
func isObject(v any) bool {
	switch v.(type) {
	case *snapshot.Attributes, map[string]any:
		return true
	}
	return false
}

// memberOf is object v's member k, nil when it has none or v is no object.
func memberOf(v any, k string) any {
	switch t := v.(type) {
	case *snapshot.Attributes:
		return t.Value(k)
	case map[string]any:
		return t[k]
	}
	return nil
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
