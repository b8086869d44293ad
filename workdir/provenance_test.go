package workdir

import "testing"

// TestStateIdentity: serial and lineage are found wherever they stand at
// the top level, and a document that is not a state has no identity.
func TestStateIdentity(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		serial   uint64
		has      bool
		lineage  string
	}{
		{"terraform's order", `{"version":4,"terraform_version":"1.11.4","serial":12,"lineage":"abc","resources":[]}`, 12, true, "abc"},
		{"after the resources", `{"resources":[{"a":[1,2]}],"lineage":"l","serial":3}`, 3, true, "l"},
		{"no identity", `{"format_version":"1.2"}`, 0, false, ""},
		{"not an object", `[1]`, 0, false, ""},
		{"serial not a number", `{"serial":"7","lineage":"l"}`, 0, false, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var p Provenance
			stateIdentity(&p, []byte(tc.in))
			if p.Serial != tc.serial || p.HasSerial != tc.has || p.Lineage != tc.lineage {
				t.Errorf("got %d %v %q", p.Serial, p.HasSerial, p.Lineage)
			}
		})
	}
}

// TestEncrypted: OpenTofu's encrypted state is told by a top-level
// "encrypted_data", wherever it stands; a state that merely holds such a
// key deeper down is not.
func TestEncrypted(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		want     bool
	}{
		{"tofu's order", `{"serial":1,"lineage":"l","meta":{"key_provider.pbkdf2.main":"e30="},"encrypted_data":"AAAA","encryption_version":"v0"}`, true},
		{"plain state", `{"version":4,"serial":1,"lineage":"l","resources":[]}`, false},
		{"nested", `{"version":4,"outputs":{"x":{"value":{"encrypted_data":"a"}}}}`, false},
		{"not an object", `["encrypted_data"]`, false},
		{"broken", `{"serial":`, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := encrypted([]byte(tc.in)); got != tc.want {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

// TestCurrentFormat: a state is read directly only when its "version" is
// 4 and stands before its resources, as Terraform writes it; anything else
// goes through `state pull`.
func TestCurrentFormat(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		want     bool
	}{
		{"terraform's order", `{"version":4,"terraform_version":"1.11.4","serial":1,"lineage":"l","resources":[]}`, true},
		{"after other small members", `{"lineage":"l","serial":2,"version":4}`, true},
		{"version 3", `{"version":3,"serial":1,"modules":[]}`, false},
		{"version 5", `{"version":5}`, false},
		{"after the resources", `{"resources":[],"version":4}`, false},
		{"a string", `{"version":"4"}`, false},
		{"none", `{"serial":1}`, false},
		{"not an object", `[4]`, false},
		{"broken", `{"version":`, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := currentFormat([]byte(tc.in)); got != tc.want {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}
