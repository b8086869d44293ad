package parity

// BuildIgnoring is Build with ignore instead of DefaultIgnore, for the
// tests of the ignoring itself; lockstep always ignores DefaultIgnore.
func BuildIgnoring(opts Options, ignore []string) (*Facts, error) {
	return build(opts, ignore)
}
