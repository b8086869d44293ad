package output

import (
	"fmt"
	"io"
	"strings"

	"github.com/lockstep-iac/lockstep/evidence"
)

// FleetFormatter renders the evidence of `lockstep report`. digest is the
// sha256 of the evidence JSON, which the footers print so that a stored
// report can be checked against its evidence.
type FleetFormatter interface {
	FormatFleet(w io.Writer, d *evidence.Document, digest string) error
}

// FleetJSON writes the evidence document itself.
type FleetJSON struct{}

// FormatFleet writes EvidenceJSON's bytes.
func (FleetJSON) FormatFleet(w io.Writer, d *evidence.Document, _ string) error {
	b, err := EvidenceJSON(d)
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

var fleetFormats = map[string]FleetFormatter{
	"json":     FleetJSON{},
	"text":     FleetText{},
	"markdown": FleetMarkdown{},
	"html":     FleetHTML{},
}

// FleetFormats are the formats of `lockstep report`, sorted.
func FleetFormats() []string { return []string{"html", "json", "markdown", "text"} }

// LookupFleet returns the report formatter called name.
func LookupFleet(name string) (FleetFormatter, error) {
	if f, ok := fleetFormats[name]; ok {
		return f, nil
	}
	return nil, fmt.Errorf("unknown report format %q: use %s", name, strings.Join(FleetFormats(), ", "))
}
