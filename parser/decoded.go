package parser

import (
	"encoding/hex"

	"github.com/lockstep-iac/lockstep/snapshot"
)

// Reading an input is two phases, so that redaction spans the whole run: a
// value marked sensitive in one environment is a secret in every other,
// where Terraform may hold it (or a different value at the same place)
// unmarked — `sensitive = true` on a variable in staging only is exactly the
// drift lockstep exists to find.
//
//	d1, _ := parser.Decode(name1, data1, opts)  // concurrently
//	d2, _ := parser.Decode(name2, data2, opts)
//	marks := parser.Union(d1, d2)              // in promotion order
//	s1, s2 := d1.Snapshot(marks), d2.Snapshot(marks)
//
// Parse and ReadFile do both phases for a single input.

// Decoded is one input, decoded, with what it marks sensitive learned but
// nothing redacted yet. Snapshot finishes it.
type Decoded struct {
	name  string
	sum   [32]byte
	r     *redactor
	build func() *snapshot.Snapshot
}

// Snapshot redacts the input with marks (Union of every input of the run,
// this one included; nil means this input's own) and returns its snapshot.
// It redacts in place, so it may be called once; Decoded's are independent
// of each other and may finish concurrently.
func (d *Decoded) Snapshot(marks *Marks) *snapshot.Snapshot {
	if d.build == nil {
		panic("parser: Decoded.Snapshot called twice")
	}
	if marks == nil {
		marks = Union(d)
	}
	d.r.marks = marks
	snap := d.build()
	marks.redactAddresses(snap)
	d.build, d.r.objects = nil, nil
	snap.Source = d.name
	snap.SHA256 = hex.EncodeToString(d.sum[:])
	// Every value of a plan's or state's snapshot was decoded by
	// decodeJSON with the input's keys, which note an exponent; raw
	// state's were not (rawstate.go decodes them with its schemas).
	snap.NoExponents = snap.Kind != snapshot.KindRawState && !d.r.keys.exponent
	return snap
}

// Parse parses the bytes of one input on its own; name is used in errors and
// as the snapshot's source.
func Parse(name string, data []byte, opts Options) (*snapshot.Snapshot, error) {
	d, err := Decode(name, data, opts)
	if err != nil {
		return nil, err
	}
	return d.Snapshot(nil), nil
}

// ReadFile reads and parses one input file on its own.
func ReadFile(path string, opts Options) (*snapshot.Snapshot, error) {
	d, err := DecodeFile(path, opts)
	if err != nil {
		return nil, err
	}
	return d.Snapshot(nil), nil
}
