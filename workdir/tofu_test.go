package workdir

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/lockstep-iac/lockstep/parser"
)

// tofuBin is the real OpenTofu the tests run, from $TOFU (.ci/run builds
// one and sets it). Without it the tests are skipped outside CI and fail
// in CI, so a CI that lost its tofu cannot pass by skipping them.
func tofuBin(t testing.TB) string {
	t.Helper()
	p := os.Getenv("TOFU")
	if p == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("TOFU is required in CI: .ci/run builds tofu and sets it")
		}
		t.Skip("skipped: TOFU is not set (the path of a tofu binary; .ci/run builds one into $(go env GOPATH)/tofu-v1.10.10)")
	}
	return p
}

// tofuEncryption is a client-side state and plan encryption configuration
// (pbkdf2 key provider, aes_gcm), given to tofu through TF_ENCRYPTION as a
// user would keep it out of the configuration. The passphrase is made up.
const tofuEncryption = `key_provider "pbkdf2" "main" {
  passphrase = "lockstep-test-passphrase-not-a-secret"
}
method "aes_gcm" "main" {
  keys = key_provider.pbkdf2.main
}
state {
  method = method.aes_gcm.main
}
plan {
  method = method.aes_gcm.main
}`

// TestOpenTofu: a directory whose states tofu encrypts is read through
// tofu, as state (tofu state pull decrypts) and as a plan; the provenance
// names tofu and OpenTofu, and the bytes are what the parser reads. Without
// a binary, the encrypted state file is refused with what to do, never
// handed to the parser as if it were a state.
func TestOpenTofu(t *testing.T) {
	bin := tofuBin(t)
	t.Setenv("TF_ENCRYPTION", tofuEncryption)
	dir := workspacesDir(t, bin, mainTF, nil, "", "staging", "production")
	raw, err := os.ReadFile(dir + "/terraform.tfstate.d/staging/terraform.tfstate")
	if err != nil || !strings.Contains(string(raw), `"encrypted_data"`) {
		t.Fatalf("tofu did not encrypt the state (%v)", err)
	}
	before := tree(t, dir)
	for _, tc := range []struct {
		name string
		plan bool
		via  string
	}{
		{"state", false, "tofu state pull"},
		{"plan", true, "tofu plan"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := Read(context.Background(), Spec{Env: "staging", Dir: dir, Terraform: bin, Plan: tc.plan})
			if err != nil {
				t.Fatal(err)
			}
			if p := res.Provenance; p.Via != tc.via || p.Tool != "opentofu" || p.Terraform != "1.10.10" {
				t.Errorf("provenance %+v", p)
			}
			d, err := parser.Decode(res.Name, res.Data, parser.Options{Key: []byte("k")})
			if err != nil {
				t.Fatal(err)
			}
			if n := len(d.Snapshot(parser.Union(d)).Resources); n != 3 {
				t.Errorf("%d resources, want 3", n)
			}
		})
	}
	_, err = Read(context.Background(), Spec{Env: "staging", Dir: dir})
	if err == nil || !strings.Contains(err.Error(), "encrypted by OpenTofu") || !strings.Contains(err.Error(), "--terraform") {
		t.Errorf("read without tofu: %v", err)
	}
	if after := tree(t, dir); after != before {
		t.Errorf("the directory changed:\n%s\n---\n%s", before, after)
	}
}

// TestOpenTofuPlainState: a local state tofu wrote without encryption is
// read from its file, like Terraform's, and still says OpenTofu, the
// binary that would have pulled it.
func TestOpenTofuPlainState(t *testing.T) {
	bin := tofuBin(t)
	dir := workspacesDir(t, bin, mainTF, nil, "", "staging")
	res, err := Read(context.Background(), Spec{Env: "staging", Dir: dir, Terraform: bin})
	if err != nil {
		t.Fatal(err)
	}
	if p := res.Provenance; p.Via != "state file" || p.Tool != "opentofu" || p.Terraform != "" {
		t.Errorf("provenance %+v, want the state file read, tool opentofu, no version run", p)
	}
	pulled := tf(t, bin, dir, []string{"TF_WORKSPACE=staging"}, "state", "pull")
	if string(res.Data)+"\n" != pulled {
		t.Error("the file differs from `tofu state pull`")
	}
}
