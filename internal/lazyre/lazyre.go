// Package lazyre holds regular expressions compiled when first used rather
// than at start-up. Every command pays for what its packages compile in
// their initialisation, and a check of two small plans takes under 100 ms
// in all: the expressions that only an error path, one output format or an
// address with credentials needs are compiled by the run that needs them.
package lazyre

import (
	"regexp"
	"sync"
)

// New returns a function that compiles expr on its first call, panicking
// as regexp.MustCompile does if it is invalid, and returns the same
// compiled expression on every call, safely from any goroutine.
func New(expr string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(expr) })
}
