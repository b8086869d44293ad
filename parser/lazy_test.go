package parser

import (
	"bytes"
	"errors"
	"testing"
)

// TestLazyValues: a value left in the input reads back as it was read,
// an absent one as nil, and one whose bytes changed since (a file
// rewritten under the reader) sends the input to the document reader.
func TestLazyValues(t *testing.T) {
	const input = `{"before":{"a":1},"after":null}`
	at := func(v string) span {
		i := int64(bytes.Index([]byte(input), []byte(v)))
		return span{i, i + int64(len(v))}
	}
	tests := []struct {
		name  string
		input string
		want  [2]string
		err   error
	}{
		{"as read", input, [2]string{`{"a":1}`, `null`}, nil},
		{"changed since", `{"before":{"a":2},"after":null}`, [2]string{}, errGiveUp},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &stream{in: bytes.NewReader([]byte(tt.input))}
			l := &lazyValues{s: s, spans: [2]span{at(`{"a":1}`), at(`null`)}}
			l.sums = [2]digest{digestOf([]byte(`{"a":1}`)), digestOf([]byte(`null`))}
			c := &change{lazy: l}
			for which := range 2 {
				got, err := c.values(which)
				if !errors.Is(err, tt.err) {
					t.Fatalf("values(%d): error %v, want %v", which, err, tt.err)
				}
				if err == nil && string(got) != tt.want[which] {
					t.Errorf("values(%d) = %s, want %s", which, got, tt.want[which])
				}
				if err == nil && c.digest(which) != digestOf(got) {
					t.Errorf("digest(%d) does not stand for its value", which)
				}
				if err != nil {
					return
				}
			}
		})
	}
	t.Run("absent", func(t *testing.T) {
		c := &change{lazy: &lazyValues{s: &stream{in: bytes.NewReader(nil)}}}
		if v, err := c.values(1); v != nil || err != nil {
			t.Errorf("values(1) = %q, %v; want nil", v, err)
		}
		if c.digest(1) != digestOf(nil) {
			t.Error("an absent value's digest is not nil's")
		}
	})
}

// countingReader counts the reads of the input.
type countingReader struct {
	r     *bytes.Reader
	reads int
}

func (c *countingReader) ReadAt(p []byte, off int64) (int, error) {
	c.reads++
	return c.r.ReadAt(p, off)
}

// TestSpanWindow: the values of an input are served as they are, in any
// order and at any length, up to its last byte; those met in the input's
// order, one read per window of readChunk bytes.
func TestSpanWindow(t *testing.T) {
	input := make([]byte, 3*readChunk+100)
	for i := range input {
		input[i] = byte('a' + i%26)
	}
	size := int64(len(input))
	for _, tc := range []struct {
		name  string
		spans []span
		reads int
	}{
		{"in order, one window", []span{{0, 10}, {10, 500}, {600, 700}, {readChunk - 5, readChunk}}, 1},
		{"in order, windows", []span{{0, 10}, {readChunk - 5, readChunk + 5}, {readChunk + 10, readChunk + 20}, {2 * readChunk, 2*readChunk + 1}}, 3},
		{"backwards", []span{{2 * readChunk, 2*readChunk + 10}, {5, 15}, {2 * readChunk, 2*readChunk + 10}}, 3},
		{"longer than a window", []span{{10, 2*readChunk + 10}, {20, 30}}, 1},
		{"the last bytes", []span{{size - 100, size - 50}, {size - 7, size}}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := &countingReader{r: bytes.NewReader(input)}
			s := &stream{in: in, size: size}
			for _, sp := range tc.spans {
				got, err := s.window.at(s, sp)
				if err != nil {
					t.Fatalf("%v: %v", sp, err)
				}
				if !bytes.Equal(got, input[sp.start:sp.end]) {
					t.Fatalf("%v: %d bytes that are not the input's", sp, len(got))
				}
			}
			if in.reads != tc.reads {
				t.Errorf("%d reads of the input, want %d", in.reads, tc.reads)
			}
		})
	}
}
