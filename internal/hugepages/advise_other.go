//go:build !linux || !(amd64 || arm64)

package hugepages

// advise does nothing where the heap cannot be advised for huge pages
// (other kernels), or lies in arenas of another size (32-bit platforms).
func advise(int64) bool { return false }
