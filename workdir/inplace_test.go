package workdir

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lockstep-iac/lockstep/parser"
)

// TestLargeStateInPlace: a local state file larger than the head that
// settles a direct read is left in place for the parser to stream (Path
// set, nothing held), with or without Terraform, and decodes to the
// snapshot its bytes give, identity and digest included; a file whose
// head does not settle the read (outputs larger than the head before the
// resources) or that is encrypted is read whole as before.
func TestLargeStateInPlace(t *testing.T) {
	dir := benchDir(t, 200, "staging")
	file := filepath.Join(dir, "terraform.tfstate.d", "staging", "terraform.tfstate")
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if len(data) <= headSize {
		t.Fatalf("the state is %d bytes, not larger than the head", len(data))
	}
	key := []byte("k")
	d, err := parser.Decode("staging (workspace staging of "+dir+")", data, parser.Options{Key: key})
	if err != nil {
		t.Fatal(err)
	}
	want := d.Snapshot(parser.Union(d))
	specs := map[string]Spec{"without Terraform": {Env: "staging", Dir: dir}}
	if bin, err := FindTerraform("", os.Getenv); err == nil && bin != "" {
		specs["with Terraform"] = Spec{Env: "staging", Dir: dir, Terraform: bin}
	}
	for name, s := range specs {
		t.Run(name, func(t *testing.T) {
			res, err := Read(context.Background(), s)
			if err != nil {
				t.Fatal(err)
			}
			if res.Path != file || res.Data != nil {
				t.Fatalf("Path %q and %d bytes held, want the file left in place", res.Path, len(res.Data))
			}
			if p := res.Provenance; p.Via != "state file" || p.Lineage != "00000000-0000-0000-0000-000000000000" || !p.HasSerial {
				t.Errorf("provenance %+v", p)
			}
			got, err := decodeResult(res, key)
			if err != nil {
				t.Fatal(err)
			}
			snap := got.Snapshot(parser.Union(got))
			if snap.SHA256 != want.SHA256 || snap.Source != want.Source || len(snap.Resources) != len(want.Resources) || len(snap.Resources) != 200 {
				t.Errorf("streamed: %s %s, %d resources; read whole: %s %s, %d", snap.Source, snap.SHA256, len(snap.Resources), want.Source, want.SHA256, len(want.Resources))
			}
		})
	}

	t.Run("broken after the head", func(t *testing.T) {
		writeState(t, file, append(bytes.Clone(data[:len(data)/2]), `{"mode": garbage`...))
		res, err := Read(context.Background(), Spec{Env: "staging", Dir: dir})
		if err != nil {
			t.Fatal(err)
		}
		if res.Path != file {
			t.Fatalf("Path %q: the head settles, so the file should be left in place", res.Path)
		}
		_, err = decodeResult(res, key)
		var ie *parser.InputError
		if !errors.As(err, &ie) || ie.File != res.Name || !strings.Contains(ie.Problem, "malformed JSON") {
			t.Errorf("got %v, want the parser's error naming %q", err, res.Name)
		}
	})
	t.Run("head does not settle", func(t *testing.T) {
		big := `"outputs":{"notes":{"value":"` + strings.Repeat("n", headSize) + `","type":"string"}},`
		grown := bytes.Replace(data, []byte(`"outputs": {},`), []byte(big), 1)
		if len(grown) == len(data) {
			t.Fatal("the state has no empty outputs to grow")
		}
		writeState(t, file, grown)
		res, err := Read(context.Background(), Spec{Env: "staging", Dir: dir})
		if err != nil {
			t.Fatal(err)
		}
		if res.Path != "" || len(res.Data) <= headSize {
			t.Errorf("Path %q, %d bytes: want the file read whole", res.Path, len(res.Data))
		}
	})
	t.Run("encrypted", func(t *testing.T) {
		enc := `{"serial":1,"lineage":"l","meta":{"key_provider.pbkdf2.k":"e30="},"encrypted_data":"` + strings.Repeat("QUJD", headSize) + `","encryption_version":"v0"}`
		writeState(t, file, []byte(enc))
		_, err := Read(context.Background(), Spec{Env: "staging", Dir: dir})
		var nf *NotFoundError
		if !errors.As(err, &nf) || !strings.Contains(err.Error(), "encrypted by OpenTofu") {
			t.Errorf("got %v, want the encrypted file refused without tofu", err)
		}
	})
}

// TestLargeStateInPlaceTerraform: the same with states real Terraform
// wrote, larger than the head: one whose resource holds 80,000 bytes is
// streamed from its file, into the snapshot `terraform state pull` gives;
// one whose output holds them, before the resources, is read whole.
func TestLargeStateInPlaceTerraform(t *testing.T) {
	bin := terraformBin(t)
	const config = `
locals { filler = format("%080000d", 1) }
resource "terraform_data" "big" { input = terraform.workspace == "resources" ? local.filler : "small" }
output "notes" { value = terraform.workspace == "outputs" ? local.filler : "small" }
`
	dir := workspacesDir(t, bin, config, nil, "", "resources", "outputs")
	key := []byte("k")
	inPlace, err := Read(context.Background(), Spec{Env: "resources", Dir: dir, Terraform: bin})
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(dir, "terraform.tfstate.d", "resources", "terraform.tfstate"); inPlace.Path != want || inPlace.Data != nil {
		t.Fatalf("Path %q and %d bytes held, want %s left in place", inPlace.Path, len(inPlace.Data), want)
	}
	pulled, err := Read(context.Background(), Spec{Env: "resources", Dir: dir, Terraform: bin, Pull: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(pulled.Data) <= headSize {
		t.Fatalf("the state is %d bytes, not larger than the head", len(pulled.Data))
	}
	if a, b := snapshotJSON(t, pulled, key), snapshotJSON(t, inPlace, key); a != b {
		t.Errorf("streamed from the file and pulled differ:\n%s\n%s", b, a)
	}
	if inPlace.Provenance.Lineage != pulled.Provenance.Lineage || inPlace.Provenance.Serial != pulled.Provenance.Serial {
		t.Errorf("identity %+v, pulled %+v", inPlace.Provenance, pulled.Provenance)
	}
	whole, err := Read(context.Background(), Spec{Env: "outputs", Dir: dir, Terraform: bin})
	if err != nil {
		t.Fatal(err)
	}
	if whole.Path != "" || len(whole.Data) <= headSize || whole.Provenance.Via != "state file" {
		t.Errorf("outputs larger than the head: Path %q, %d bytes, via %q; want the file read whole", whole.Path, len(whole.Data), whole.Provenance.Via)
	}
}

func writeState(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}
