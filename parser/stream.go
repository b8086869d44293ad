package parser

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"io"
	"os"
	"strings"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/lockstep-iac/lockstep/internal/guard"
)

// The streaming reader is the fast path of Decode: it reads plan and state
// JSON as Terraform writes them without holding the file, decoding only the
// objects the snapshot or the marks need (see planBuilder), and digests of
// the rest. It is optimistic: anything it is not sure to read exactly as the
// document reader would (a syntax error, a duplicate key, nesting over
// guard.MaxDepth, a key that matches a field only when case is ignored, a
// null where Terraform writes an object, a legacy or encrypted state,
// UTF-16, a value of an unexpected type) makes it give up, and the input is
// read again by the document reader (parser.go), which either accepts it or
// words the error. So the two readers accept the same inputs, build the same
// snapshots and report the same errors; FuzzParse compares them.
//
// Terraform writes planned_values and resource_changes before prior_state,
// whose objects most of them repeat, and learning marks needs prior_state
// first. So the reader reads the input once, in order, with duplicate keys
// allowed (see sectionDecoder): prior_state's (or a state's) resources are
// decoded as they come; an entry of resource_changes, resource_drift or
// planned_values is kept without its objects, which are digested and left
// in the input (lazyValues), and once the whole input is read the entries
// are learned in the document reader's order, reading again only the
// objects a decision needs.

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
	// present are the large sections read.
	present map[string]bool
	sum     [32]byte
	// scratch holds the raw values of the entry being read, reused from
	// entry to entry.
	scratch [5][]byte
	// window serves the values read again (lazyValues).
	window spanWindow
	// prior holds prior_state's resources; entries a state's.
	prior   *planBuilder
	entries []stateEntry
	// changes, drifts and planned are the entries learned after the read.
	changes, drifts []*resourceChange
	planned         []*stateResource
	plannedOutputs  map[string]stateOutput
	hasOutputs      bool
}

// decodeStream reads one input with the streaming reader; errGiveUp (or
// any error) means the document reader must read it instead.
func decodeStream(in readerAt, size int64, name string, opts Options) (*Decoded, error) {
	r := newRedactor(opts.Key, opts.EnvTokens)
	s := &stream{in: in, size: size, present: map[string]bool{}, prior: &planBuilder{r: r, learned: learnedObjects{}}}
	head := make([]byte, min(size, 64<<10))
	if _, err := in.ReadAt(head, 0); err != nil && err != io.EOF {
		return nil, errGiveUp
	}
	if !plainObject(name, head) {
		return nil, errGiveUp
	}
	if err := s.read(r); err != nil {
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
	var build buildFunc
	planSections := s.present["prior_state"] || s.present["resource_changes"] || s.present["resource_drift"] || s.present["planned_values"]
	switch {
	case k == kindPlan && !s.present["values"]:
		build, err = s.plan()
	case k == kindState && !planSections:
		// A state's resources were decoded as they were read.
		build = s.doc.stateBuild(s.entries, r)
	case k == kindRawState && !planSections && !s.present["values"]:
		// A raw state's resources were read with their attributes raw,
		// as the document reader holds them.
		build, err = d.rawSnapshot(r)
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

// largeSections are read entry by entry.
var largeSections = map[string]bool{"resource_changes": true, "resource_drift": true, "prior_state": true, "planned_values": true, "values": true}

var topFields = []string{"format_version", "terraform_version", "resource_changes", "resource_drift", "prior_state", "planned_values",
	"variables", "output_changes", "configuration", "errored", "applyable", "values",
	"version", "resources", "outputs", "modules", "lineage", "serial"}

// readChunk is how much the reader asks the file for at a time: the JSON
// decoder's own reads are as small as what it has room for, a few
// kilobytes, and a system call per few kilobytes cost more than the copy
// through this buffer. A smaller file gets a buffer of its own size; bytes
// already in memory are read as they are.
const readChunk = 1 << 20

// read reads the input: the top-level object, its small members into
// s.doc, its large ones entry by entry (see section); and it digests the
// whole input.
func (s *stream) read(r *redactor) error {
	h := sha256.New()
	var src io.Reader = io.NewSectionReader(s.in, 0, s.size)
	if _, ok := s.in.(*os.File); ok {
		src = bufio.NewReaderSize(src, int(min(s.size+1, readChunk)))
	}
	dec := jsontext.NewDecoder(io.TeeReader(src, h), jsontext.AllowDuplicateNames(true))
	sd := &sectionDecoder{dec: dec, s: s}
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
		if seen[name] || folded(name, topFields) || name == "modules" || name == "encrypted_data" {
			return errGiveUp
		}
		seen[name] = true
		if name == "resources" {
			if dec.PeekKind() != '[' {
				return errGiveUp
			}
			s.present[name] = true
			if err := sd.rawResources(&d.Resources); err != nil {
				return errGiveUp
			}
			continue
		}
		if name == "configuration" {
			if err := sd.configuration(&d.Configuration); err != nil {
				return errGiveUp
			}
			continue
		}
		if largeSections[name] {
			if dec.PeekKind() != '{' && !(name != "prior_state" && name != "planned_values" && name != "values" && dec.PeekKind() == '[') {
				return errGiveUp
			}
			s.present[name] = true
			if err := s.section(sd, name, r); err != nil {
				return errGiveUp
			}
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
		case "version":
			target = &d.Version
		case "lineage":
			target = &d.Lineage
		case "serial":
			target = &d.Serial
		case "outputs":
			target = &d.Outputs
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
	if s.present["resource_changes"] {
		d.ResourceChanges = &[]resourceChange{}
	}
	if s.present["resource_drift"] {
		d.ResourceDrift = []resourceChange{}
	}
	if s.present["prior_state"] {
		d.PriorState = &stateJSON{}
	}
	d.PlannedValues.present = s.present["planned_values"]
	return nil
}

// folded reports whether name matches one of fields only when case is
// ignored, as encoding/json matches it: such a document goes to the
// document reader, which reads it as encoding/json does.
func folded(name string, fields []string) bool {
	// Most names are one of fields exactly, and then they fold onto no
	// other: no two fields differ in case only (TestFieldsFoldApart).
	if contains(fields, name) {
		return false
	}
	for _, f := range fields {
		if strings.EqualFold(name, f) {
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

// section reads the value of one large section, which sits at depth 1 of
// the document.
func (s *stream) section(sd *sectionDecoder, name string, r *redactor) error {
	switch name {
	case "prior_state":
		var version string
		return sd.object(stateJSONFields, func(name string) error {
			switch name {
			case "format_version", "terraform_version":
				return sd.str(&version)
			case "values":
				return sd.values(false, r.stateOutputs, s.prior.prior)
			}
			return sd.skip()
		})
	case "values":
		return sd.values(false, r.stateOutputs, func(sr *stateResource) error {
			e, err := r.stateResource(sr)
			if e.res != nil {
				s.entries = append(s.entries, e)
			}
			return err
		})
	case "resource_changes", "resource_drift":
		sd.lazy = true
		defer func() { sd.lazy = false }()
		return sd.array(func(i int) error {
			rc, err := sd.change()
			if err != nil {
				return err
			}
			if err := checkActions(name, i, rc); err != nil {
				return err
			}
			if name == "resource_drift" {
				s.drifts = append(s.drifts, rc)
			} else {
				s.changes = append(s.changes, rc)
			}
			return nil
		})
	case "planned_values":
		sd.lazy = true
		defer func() { sd.lazy = false }()
		return sd.values(true, func(out map[string]stateOutput) {
			s.plannedOutputs, s.hasOutputs = out, true
		}, func(sr *stateResource) error {
			s.planned = append(s.planned, sr)
			return nil
		})
	}
	return sd.skip()
}

// plan learns, once the whole plan is read, what its entries mark, in the
// order the document reader learns them (see planSnapshot).
func (s *stream) plan() (buildFunc, error) {
	d := &s.doc
	b := newPlanBuilder(d, s.prior.r)
	b.learned, b.priors = s.prior.learned, s.prior.priors
	for i, rc := range s.changes {
		if err := b.change(i, rc); err != nil {
			return nil, err
		}
	}
	for _, rc := range s.drifts {
		if err := b.drift(rc); err != nil {
			return nil, err
		}
	}
	if s.hasOutputs {
		b.plannedOutputs(s.plannedOutputs)
	}
	for _, sr := range s.planned {
		if err := b.planned(sr); err != nil {
			return nil, err
		}
	}
	return b.finish(d)
}
