package parser

import (
	"encoding/json"
	"io"
)

// lazyValues are a change's before and after (or a planned_values
// resource's values, as the first) that the streaming reader read once,
// validated and digested, and left in the input: which of them a decision
// needs is known only once prior_state, which Terraform writes last, has
// been read, and most are never needed (see planBuilder). Reading one
// again costs a copy from the stream's window of the input (spanWindow).
type lazyValues struct {
	s     *stream
	spans [2]span
	sums  [2]digest
}

// read returns value which (0 before, 1 after) from the input, valid until
// the next read of a value.
func (l *lazyValues) read(which int) (json.RawMessage, error) {
	sp := l.spans[which]
	if sp.end == 0 {
		return nil, nil // absent: no value ends at the input's start
	}
	buf, err := l.s.window.at(l.s, sp)
	if err != nil {
		return nil, errGiveUp
	}
	// The bytes were read and digested once: a file changed under the
	// reader must not be taken for the one validated.
	if digestOf(buf) != l.sum(which) {
		return nil, errGiveUp
	}
	return buf, nil
}

// spanWindow holds readChunk bytes of the input around the values read
// again. The builders ask for them in the order of the input (a plan's
// changes, then its planned_values), so one read of the input serves the
// values of many entries: a read of each value was a tenth of reading a
// real plan of creates.
type spanWindow struct {
	buf []byte
	off int64 // where buf starts in the input
}

// at returns the bytes of sp, valid until the next call (and capped, so
// that nothing appended to them reaches the rest of the window).
func (w *spanWindow) at(s *stream, sp span) ([]byte, error) {
	if sp.start >= w.off && sp.end <= w.off+int64(len(w.buf)) {
		return w.buf[sp.start-w.off : sp.end-w.off : sp.end-w.off], nil
	}
	n := sp.end - sp.start
	size := max(n, min(readChunk, s.size-sp.start))
	if int64(cap(w.buf)) < size {
		w.buf = make([]byte, size)
	}
	w.buf, w.off = w.buf[:size], sp.start
	if _, err := s.in.ReadAt(w.buf, sp.start); err != nil && !(err == io.EOF && sp.start+size == s.size) {
		w.buf = w.buf[:0]
		return nil, err
	}
	return w.buf[:n:n], nil
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
