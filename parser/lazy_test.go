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
