package parser

import (
	"encoding/json"
)

// lazyValues are a change's before and after (or a planned_values
// resource's values, as the first) that the streaming reader read once,
// validated and digested, and left in the input: which of them a decision
// needs is known only once prior_state, which Terraform writes last, has
// been read, and most are never needed (see planBuilder). Reading one
// again costs a ReadAt of its bytes.
type lazyValues struct {
	s     *stream
	spans [2]span
	sums  [2]digest
}

// read returns value which (0 before, 1 after) from the input, in the
// stream's scratch slot of the same number, valid until the next read.
func (l *lazyValues) read(which int) (json.RawMessage, error) {
	sp := l.spans[which]
	if sp.end == 0 {
		return nil, nil // absent: no value ends at the input's start
	}
	buf := l.s.scratch[which]
	if n := int(sp.end - sp.start); cap(buf) < n {
		buf = make([]byte, n)
	} else {
		buf = buf[:n]
	}
	l.s.scratch[which] = buf
	if _, err := l.s.in.ReadAt(buf, sp.start); err != nil {
		return nil, errGiveUp
	}
	// The bytes were read and digested once: a file changed under the
	// reader must not be taken for the one validated.
	if digestOf(buf) != l.sum(which) {
		return nil, errGiveUp
	}
	return buf, nil
}

// sum stands for value which.
func (l *lazyValues) sum(which int) digest {
	if l.spans[which].end == 0 {
		return digestOf(nil)
	}
	return l.sums[which]
}

// values returns Before (0) or After (1).
func (c *change) values(which int) (json.RawMessage, error) {
	if c.lazy != nil {
		return c.lazy.read(which)
	}
	if which == 0 {
		return c.Before, nil
	}
	return c.After, nil
}

// digest stands for Before (0) or After (1) without reading them again.
func (c *change) digest(which int) digest {
	if c.lazy != nil {
		return c.lazy.sum(which)
	}
	v, _ := c.values(which)
	return digestOf(v)
}

// values returns a resource's values.
func (sr *stateResource) values() (json.RawMessage, error) {
	if sr.lazy != nil {
		return sr.lazy.read(0)
	}
	return sr.Values, nil
}

// digest stands for a resource's values without reading them again.
func (sr *stateResource) digest() digest {
	if sr.lazy != nil {
		return sr.lazy.sum(0)
	}
	return digestOf(sr.Values)
}
