package fleet_test

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/lockstep-iac/lockstep/evidence"
	"github.com/lockstep-iac/lockstep/fleet"
	"github.com/lockstep-iac/lockstep/output"
)

// fixtureDir is the fleet of testdata/fleet/generate.sh.
const fixtureDir = "../testdata/fleet/"

// fixtureOptions audit the fixture fleet as of 2026-12-01 with everything
// that varies by machine or build fixed.
func fixtureOptions() fleet.Options {
	return fleet.Options{
		Patterns:          []string{fixtureDir + "exports/{stack}/{env}.json", fixtureDir + "exports/{stack}/{env}.tfstate"},
		ConfigFile:        fixtureDir + "lockstep.hcl",
		AsOf:              time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC),
		ExpiryWarningDays: fleet.DefaultExpiryWarningDays,
		Tool:              evidence.Tool{Name: "lockstep", Version: "0.1.0", Commit: "test", OPAVersion: "test"},
		VCSCommit:         "0123456789abcdef0123456789abcdef01234567",
		CommandLine:       []string{"lockstep", "report", "--inputs", "exports/{stack}/{env}.json", "--as-of", "2026-12-01"},
	}
}

func runFleet(t *testing.T, opts fleet.Options) *evidence.Document {
	t.Helper()
	d, err := fleet.Run(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// render is every format of d, by format name.
func render(t *testing.T, d *evidence.Document) map[string][]byte {
	t.Helper()
	js, err := output.EvidenceJSON(d)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{"json": js}
	for _, name := range output.FleetFormats() {
		if name == "json" {
			continue
		}
		f, err := output.LookupFleet(name)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := f.FormatFleet(&buf, d, output.Digest(js)); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		out[name] = buf.Bytes()
	}
	return out
}

// fixtureSecrets are the database passwords the fixture's Terraform used.
func fixtureSecrets(t *testing.T) []string {
	t.Helper()
	b, err := os.ReadFile(fixtureDir + "exports/secrets.txt")
	if err != nil {
		t.Fatal(err)
	}
	return strings.Fields(string(b))
}

func writeFile(path string, b []byte) error { return os.WriteFile(path, b, 0o644) }
