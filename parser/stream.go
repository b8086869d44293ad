package parser

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"io"
	"strings"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/lockstep-iac/lockstep/internal/guard"
)

// The streaming reader is the fast path of Decode: it reads plan and state
// JSON as Terraform writes them without holding the file, decoding only the
// objects the snapshot or the marks need (see planBuilder), and digests of
// the rest. It is optimistic: anything it is not sure to read exactly as
// the document reader would (a syntax error, a duplicate key, nesting over
// guard.MaxDepth, a key that matches a field only when case is ignored, a
// null where Terraform writes an object, raw state, UTF-16, a value of an
// unexpected type) makes it give up, and the input is read again by the
// document reader (parser.go), which either accepts it or words the error.
// So the two readers accept the same inputs, build the same snapshots and
// report the same errors; FuzzParse compares them.
//
// Terraform writes planned_values and resource_changes before prior_state,
// whose objects most of them repeat; learning marks needs prior_state
// first. So a first pass reads the top level, skips the large sections and
// notes where they are, and a second reads prior_state (or a state's
// values), then resource_changes, resource_drift and planned_values from
// their offsets. Every byte is validated with duplicate keys refused, in
// the second pass for the sections the first skips.

// errGiveUp sends an input to the document reader.
var errGiveUp = errors.New("not for the streaming reader")

// readerAt is an input read in place: a file or bytes.
type readerAt interface {
	io.ReaderAt
}

// span is where one top-level section's value lies.
type span struct{ start, end int64 }

// stream is one input being read by the streaming reader.
type stream struct {
	in   readerAt
	size int64
	doc  document
	// spans are the large sections the first pass skipped.
	spans map[string]span
	sum   [32]byte
	// scratch holds the raw values of the entry being read, reused from
	// entry to entry.
	scratch [5][]byte
}

// decodeStream reads one input with the streaming reader; errGiveUp (or
// any error) means the document reader must read it instead.
func decodeStream(in readerAt, size int64, name string, opts Options) (*Decoded, error) {
	s := &stream{in: in, size: size, spans: map[string]span{}}
	head := make([]byte, min(size, 64<<10))
	if _, err := in.ReadAt(head, 0); err != nil && err != io.EOF {
		return nil, errGiveUp
	}
	if !plainObject(name, head) {
		return nil, errGiveUp
	}
	if err := s.topLevel(); err != nil {
		return nil, errGiveUp
	}
	d := &s.doc
	if err := d.validate(); err != nil {
		return nil, errGiveUp
	}
	k, err := d.kind()
	if err != nil {
		return nil, errGiveUp
	}
	r := newRedactor(opts.Key)
	var build buildFunc
	switch k {
	case kindPlan:
		if _, ok := s.spans["values"]; ok {
			return nil, errGiveUp
		}
		build, err = s.plan(r)
	case kindState:
		build, err = s.state(r)
	default:
		return nil, errGiveUp
	}
	if err != nil {
		return nil, errGiveUp
	}
	return &Decoded{name: name, sum: s.sum, r: r, build: build}, nil
}

// plainObject reports whether the input starts like plan or state JSON in
// UTF-8 without a byte order mark: what the streaming reader reads.
func plainObject(name string, head []byte) bool {
	if wrongFile(name, head) != nil || len(head) > 1 && (head[0] == 0 || head[1] == 0) {
		return false
	}
	t := bytes.TrimLeft(head, " \t\r\n")
	return len(t) > 0 && t[0] == '{'
}

// largeSections are skipped by the first pass and read by the second.
var largeSections = map[string]bool{"resource_changes": true, "resource_drift": true, "prior_state": true, "planned_values": true, "values": true}

// rawStateFields are raw state's: raw state goes to the document reader.
var rawStateFields = []string{"version", "resources", "outputs", "modules", "lineage", "serial"}

var topFields = []string{"format_version", "terraform_version", "resource_changes", "resource_drift", "prior_state", "planned_values",
	"variables", "output_changes", "configuration", "errored", "applyable", "values",
	"version", "resources", "outputs", "modules", "lineage", "serial"}

// topLevel is the first pass: it reads the top-level object, decodes its
// small members into s.doc, notes where the large ones are, and digests
// the whole input.
func (s *stream) topLevel() error {
	h := sha256.New()
	dec := jsontext.NewDecoder(io.TeeReader(io.NewSectionReader(s.in, 0, s.size), h), jsontext.AllowDuplicateNames(true))
	if tok, err := dec.ReadToken(); err != nil || tok.Kind() != '{' {
		return errGiveUp
	}
	seen := map[string]bool{}
	d := &s.doc
	for dec.PeekKind() != '}' {
		tok, err := dec.ReadToken()
		if err != nil || tok.Kind() != '"' {
			return errGiveUp
		}
		name := tok.String()
		if seen[name] || folded(name, topFields) || contains(rawStateFields, name) {
			return errGiveUp
		}
		seen[name] = true
		if largeSections[name] {
			if dec.PeekKind() != '{' && !(name != "prior_state" && name != "planned_values" && name != "values" && dec.PeekKind() == '[') {
				return errGiveUp
			}
			start := dec.InputOffset()
			if err := dec.SkipValue(); err != nil {
				return errGiveUp
			}
			s.spans[name] = span{start, dec.InputOffset()}
			continue
		}
		raw, err := dec.ReadValue()
		if err != nil || guard.Value(raw, 1) != nil {
			return errGiveUp
		}
		var target any
		switch name {
		case "format_version":
			target = &d.FormatVersion
		case "terraform_version":
			target = &d.TerraformVersion
		case "variables":
			target = &d.Variables
		case "output_changes":
			target = &d.OutputChanges
		case "configuration":
			target = &d.Configuration
		case "errored":
			target = &d.Errored
		case "applyable":
			target = &d.Applyable
		default:
			continue
		}
		if json.Unmarshal(raw, target) != nil {
			return errGiveUp
		}
	}
	if _, err := dec.ReadToken(); err != nil {
		return errGiveUp
	}
	if _, err := dec.ReadToken(); err != io.EOF {
		return errGiveUp // more than one value, or bad bytes after it
	}
	copy(s.sum[:], h.Sum(nil))
	// What is present tells the kinds apart (see document.kind).
	if _, ok := s.spans["resource_changes"]; ok {
		d.ResourceChanges = &[]resourceChange{}
	}
	if _, ok := s.spans["resource_drift"]; ok {
		d.ResourceDrift = []resourceChange{}
	}
	if _, ok := s.spans["prior_state"]; ok {
		d.PriorState = &stateJSON{}
	}
	_, d.PlannedValues.present = s.spans["planned_values"]
	return nil
}

// folded reports whether name matches one of fields only when case is
// ignored, as encoding/json matches it: such a document goes to the
// document reader, which reads it as encoding/json does.
func folded(name string, fields []string) bool {
	for _, f := range fields {
		if name != f && strings.EqualFold(name, f) {
			return true
		}
	}
	return false
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// section returns a decoder for the value of one large section, which sits
// at depth 1 of the document.
func (s *stream) section(name string) (*sectionDecoder, bool) {
	sp, ok := s.spans[name]
	if !ok {
		return nil, false
	}
	r := io.NewSectionReader(s.in, sp.start, sp.end-sp.start)
	// The span starts after the member's name: skip the colon.
	var b [1]byte
	for {
		if _, err := r.Read(b[:]); err != nil {
			return &sectionDecoder{err: errGiveUp}, true
		}
		if b[0] != ':' && b[0] != ' ' && b[0] != '\t' && b[0] != '\r' && b[0] != '\n' {
			break
		}
	}
	if _, err := r.Seek(-1, io.SeekCurrent); err != nil {
		return &sectionDecoder{err: errGiveUp}, true
	}
	return &sectionDecoder{dec: jsontext.NewDecoder(r, jsontext.AllowDuplicateNames(true)), s: s}, true
}

// plan is the second pass over a plan: prior_state first, then the
// sections whose objects repeat it.
func (s *stream) plan(r *redactor) (buildFunc, error) {
	d := &s.doc
	b := newPlanBuilder(d, r)
	if sd, ok := s.section("prior_state"); ok {
		err := sd.err
		if err == nil {
			err = sd.object(stateJSONFields, func(name string) error {
				var version string
				switch name {
				case "format_version", "terraform_version":
					return sd.str(&version)
				case "values":
					return sd.values(false, r.stateOutputs, b.prior)
				}
				return sd.skip()
			})
		}
		if err != nil || sd.end() != nil {
			return nil, errGiveUp
		}
	}
	for _, field := range []string{"resource_changes", "resource_drift"} {
		sd, ok := s.section(field)
		if !ok {
			continue
		}
		err := sd.err
		if err == nil {
			err = sd.array(func(i int) error {
				rc, err := sd.change()
				if err != nil {
					return err
				}
				if err := checkActions(field, i, rc); err != nil {
					return err
				}
				if field == "resource_drift" {
					return b.drift(rc)
				}
				return b.change(i, rc)
			})
		}
		if err != nil || sd.end() != nil {
			return nil, errGiveUp
		}
	}
	if sd, ok := s.section("planned_values"); ok {
		err := sd.err
		if err == nil {
			err = sd.values(true, b.plannedOutputs, b.planned)
		}
		if err != nil || sd.end() != nil {
			return nil, errGiveUp
		}
	}
	return b.finish(d)
}

// state is the second pass over a state: its values.
func (s *stream) state(r *redactor) (buildFunc, error) {
	var entries []stateEntry
	if sd, ok := s.section("values"); ok {
		err := sd.err
		if err == nil {
			err = sd.values(false, r.stateOutputs, func(sr *stateResource) error {
				e, err := r.stateResource(sr)
				if e.res != nil {
					entries = append(entries, e)
				}
				return err
			})
		}
		if err != nil || sd.end() != nil {
			return nil, errGiveUp
		}
	}
	return s.doc.stateBuild(entries, r), nil
}
