package sourceaddr_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/lockstep-iac/lockstep/internal/sourceaddr"
)

// Every credential in these inputs contains "S3CR3T", so that a test can
// check that none survives whatever the expected text says.
var cases = []struct {
	name, src, want, without string // without "" means: same as want
}{
	// Nothing to hide: byte for byte as written.
	{"empty", "", "", ""},
	{"local", "./modules/app", "./modules/app", ""},
	{"local parent", "../../modules/service", "../../modules/service", ""},
	{"registry", "hashicorp/consul/aws", "hashicorp/consul/aws", ""},
	{"private registry subdir", "app.terraform.io/acme/vpc/aws//modules/a", "app.terraform.io/acme/vpc/aws//modules/a", ""},
	{"provider address", "registry.terraform.io/hashicorp/aws", "registry.terraform.io/hashicorp/aws", ""},
	{"github shorthand", "github.com/hashicorp/example?ref=v1.2.0", "github.com/hashicorp/example?ref=v1.2.0", ""},
	{"git https subdir ref depth", "git::https://example.com/network.git//modules/vpc?ref=v1.2.0&depth=1",
		"git::https://example.com/network.git//modules/vpc?ref=v1.2.0&depth=1", ""},
	{"hg rev", "hg::http://example.com/vpc.hg?rev=abc123", "hg::http://example.com/vpc.hg?rev=abc123", ""},
	{"http archive", "https://example.com/vpc-module.zip?archive=zip", "https://example.com/vpc-module.zip?archive=zip", ""},
	{"host and port", "https://example.com:8443/m.zip", "https://example.com:8443/m.zip", ""},
	{"ref holding @", "git::https://example.com/x.git?ref=feature@2", "git::https://example.com/x.git?ref=feature@2", ""},
	// A harmless parameter whose value smuggles a credential in escaped form.
	{"escaped token inside ref", "git::https://example.com/x.git?ref=v1%26token%3DS3CR3T", "git::https://example.com/x.git?ref=(credentials)", "git::https://example.com/x.git"},
	{"filename with a query", "https://example.com/m.zip?filename=a%3Fsig%3DS3CR3T&archive=zip", "https://example.com/m.zip?filename=(credentials)&archive=zip", "https://example.com/m.zip?archive=zip"},
	{"escaped path kept as written", "https://example.com/a%2Fb/m.zip?archive=zip&ref=v%201", "https://example.com/a%2Fb/m.zip?archive=zip&ref=v%201", ""},
	{"gcs", "gcs::https://www.googleapis.com/storage/v1/modules/foomodule.zip", "gcs::https://www.googleapis.com/storage/v1/modules/foomodule.zip", ""},
	{"checksum hash", "https://example.com/m.zip?checksum=sha256:0123abcdef", "https://example.com/m.zip?checksum=sha256:0123abcdef", ""},
	{"empty userinfo", "https://@example.com/m.zip", "https://@example.com/m.zip", ""},
	{"empty query and params", "https://example.com/m.zip?&&ref=v1", "https://example.com/m.zip?&&ref=v1", ""},
	{"empty fragment", "https://example.com/m.zip#", "https://example.com/m.zip#", ""},

	// ssh and scp-like logins are not credentials.
	{"git ssh login", "git::ssh://git@github.com/acme/net.git?ref=v1", "git::ssh://git@github.com/acme/net.git?ref=v1", ""},
	{"ssh login port subdir", "git::ssh://aws_jenkins@git.mycompany.com:7999/tfng/asg//asg?ref=master",
		"git::ssh://aws_jenkins@git.mycompany.com:7999/tfng/asg//asg?ref=master", ""},
	{"git+ssh login", "git+ssh://deploy@example.com/x.git", "git+ssh://deploy@example.com/x.git", ""},
	{"scp-like", "git@github.com:acme/net.git", "git@github.com:acme/net.git", ""},
	{"scp-like forced", "git::git@github.com:acme/net.git?ref=v1", "git::git@github.com:acme/net.git?ref=v1", ""},
	{"scp-like absolute", "git::deploy@example.com:/srv/net.git", "git::deploy@example.com:/srv/net.git", ""},

	// Userinfo.
	{"https user password", "https://user:S3CR3T@example.com/m.zip", "https://(credentials)@example.com/m.zip", "https://example.com/m.zip"},
	{"https token only", "git::https://ghp_S3CR3T@github.com/acme/net.git//sub?ref=v2",
		"git::https://(credentials)@github.com/acme/net.git//sub?ref=v2", "git::https://github.com/acme/net.git//sub?ref=v2"},
	{"x-access-token", "git::https://x-access-token:ghs_S3CR3T@github.com/acme/net.git?ref=v2",
		"git::https://(credentials)@github.com/acme/net.git?ref=v2", "git::https://github.com/acme/net.git?ref=v2"},
	{"no path", "https://oauth2:S3CR3T@gitlab.com", "https://(credentials)@gitlab.com", "https://gitlab.com"},
	{"upper-case scheme", "HTTPS://S3CR3T@example.com/x", "HTTPS://(credentials)@example.com/x", "HTTPS://example.com/x"},
	{"ssh password", "git::ssh://user:S3CR3T@example.com/repo.git", "git::ssh://(credentials)@example.com/repo.git", "git::ssh://example.com/repo.git"},
	{"ssh user not plain", "ssh://S3CR3T%40x@example.com/repo.git", "ssh://(credentials)@example.com/repo.git", "ssh://example.com/repo.git"},
	{"file userinfo", "git::file://x-access-token:S3CR3T@localhost/tmp/net.git?ref=v1",
		"git::file://(credentials)@localhost/tmp/net.git?ref=v1", "git::file://localhost/tmp/net.git?ref=v1"},
	{"scheme-relative", "//user:S3CR3T@example.com/x", "//(credentials)@example.com/x", "//example.com/x"},
	{"two forced getters", "git::git::https://S3CR3T@example.com/x", "git::git::https://(credentials)@example.com/x", "git::git::https://example.com/x"},
	{"scp-like password", "git::user:S3CR3T@github.com:acme/net.git", "git::(credentials)@github.com:acme/net.git", "git::github.com:acme/net.git"},
	{"shorthand with token", "ghp_S3CR3T@github.com/acme/net", "(credentials)@github.com/acme/net", "github.com/acme/net"},
	{"token at bare host", "S3CR3T@example.com", "(credentials)@example.com", "example.com"},

	// Query-string credentials; harmless parameters kept, names
	// case-insensitive.
	{"sshkey", "git::https://example.com/net.git?ref=v1&sshkey=LS0tS3CR3T0tLS0=&depth=1",
		"git::https://example.com/net.git?ref=v1&sshkey=(credentials)&depth=1", "git::https://example.com/net.git?ref=v1&depth=1"},
	{"s3 keys", "s3::https://s3-eu-west-1.amazonaws.com/bucket/vpc.zip?aws_access_key_id=AKIAS3CR3T&aws_access_key_secret=S3CR3T&aws_access_token=S3CR3T&region=eu-west-1&aws_profile=ci",
		"s3::https://s3-eu-west-1.amazonaws.com/bucket/vpc.zip?aws_access_key_id=(credentials)&aws_access_key_secret=(credentials)&aws_access_token=(credentials)&region=eu-west-1&aws_profile=ci",
		"s3::https://s3-eu-west-1.amazonaws.com/bucket/vpc.zip?region=eu-west-1&aws_profile=ci"},
	{"s3 host form", "bucket.s3.amazonaws.com/vpc.zip?aws_access_key_secret=S3CR3T", "bucket.s3.amazonaws.com/vpc.zip?aws_access_key_secret=(credentials)", "bucket.s3.amazonaws.com/vpc.zip"},
	{"token names any case", "https://example.com/m.zip?TOKEN=S3CR3T&Access_Token=S3CR3T&private_token=S3CR3T&Password=S3CR3T&secret=S3CR3T",
		"https://example.com/m.zip?TOKEN=(credentials)&Access_Token=(credentials)&private_token=(credentials)&Password=(credentials)&secret=(credentials)",
		"https://example.com/m.zip"},
	{"aws sigv4", "https://b.s3.amazonaws.com/m.zip?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAS3CR3T%2F20240101%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20240101T000000Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=host&X-Amz-Security-Token=FwoS3CR3T&X-Amz-Signature=S3CR3Tabcdef",
		"https://b.s3.amazonaws.com/m.zip?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=(credentials)&X-Amz-Date=20240101T000000Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=host&X-Amz-Security-Token=(credentials)&X-Amz-Signature=(credentials)",
		"https://b.s3.amazonaws.com/m.zip?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=20240101T000000Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=host"},
	{"aws sigv2", "https://b.s3.amazonaws.com/m.zip?AWSAccessKeyId=AKIAS3CR3T&Expires=1700000000&Signature=S3CR3T%3D",
		"https://b.s3.amazonaws.com/m.zip?AWSAccessKeyId=(credentials)&Expires=1700000000&Signature=(credentials)",
		"https://b.s3.amazonaws.com/m.zip?Expires=1700000000"},
	{"azure sas", "https://acct.blob.core.windows.net/c/m.zip?sv=2022-11-02&se=2024-01-01T00%3A00%3A00Z&sr=b&sp=r&Sig=S3CR3T%2Bdef%3D",
		"https://acct.blob.core.windows.net/c/m.zip?sv=2022-11-02&se=2024-01-01T00%3A00%3A00Z&sr=b&sp=r&Sig=(credentials)",
		"https://acct.blob.core.windows.net/c/m.zip?sv=2022-11-02&se=2024-01-01T00%3A00%3A00Z&sr=b&sp=r"},
	{"gcs signed", "gcs::https://storage.googleapis.com/b/m.zip?X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Credential=sa%40p.iam.S3CR3T&X-Goog-Signature=S3CR3T",
		"gcs::https://storage.googleapis.com/b/m.zip?X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Credential=(credentials)&X-Goog-Signature=(credentials)",
		"gcs::https://storage.googleapis.com/b/m.zip?X-Goog-Algorithm=GOOG4-RSA-SHA256"},
	{"escaped name", "https://example.com/m.zip?to%6Ben=S3CR3T", "https://example.com/m.zip?to%6Ben=(credentials)", "https://example.com/m.zip"},
	{"known name without value", "https://example.com/m.zip?token&ref=v1", "https://example.com/m.zip?token&ref=v1", ""},
	{"checksum URL", "https://example.com/m.zip?checksum=file:https://u:S3CR3T@example.com/SUMS",
		"https://example.com/m.zip?checksum=(credentials)", "https://example.com/m.zip"},
	{"local path query", "./x?token=S3CR3T", "./x?token=(credentials)", "./x"},

	// What lockstep cannot name is hidden whole, name included.
	{"unknown parameter", "https://example.com/m.zip?archive=zip&code=S3CR3T", "https://example.com/m.zip?archive=zip&(credentials)", "https://example.com/m.zip?archive=zip"},
	{"bare token parameter", "https://example.com/m.zip?ghp_S3CR3T", "https://example.com/m.zip?(credentials)", "https://example.com/m.zip"},
	{"token as a name", "https://example.com/m.zip?ghp_S3CR3T=1&ref=v1", "https://example.com/m.zip?(credentials)&ref=v1", "https://example.com/m.zip?ref=v1"},
	{"bad escape in name", "https://example.com/m.zip?%zzS3CR3T=1", "https://example.com/m.zip?(credentials)", "https://example.com/m.zip"},
	{"semicolon separates", "https://example.com/m.zip?ref=v1;token=S3CR3T", "https://example.com/m.zip?ref=v1;token=(credentials)", "https://example.com/m.zip?ref=v1"},
	{"fragment", "https://example.com/m.zip#S3CR3T", "https://example.com/m.zip#(credentials)", "https://example.com/m.zip"},
	{"fragment before query", "https://example.com/m.zip#x?token=S3CR3T", "https://example.com/m.zip#(credentials)", "https://example.com/m.zip"},

	// Malformed: hidden more widely, never less.
	{"space in password", "https://user:S3C R3T@example.com/x", "https://(credentials)@example.com/x", "https://example.com/x"},
	{"slash in password", "https://user:S3/CR3T@example.com/x", "https://(credentials)@example.com/x", "https://example.com/x"},
	{"slash in numeric password", "https://user:1234/S3CR3T@example.com/x", "https://(credentials)@example.com/x", "https://example.com/x"},
	{"hash in password", "https://user:S3#CR3T@example.com/x", "https://(credentials)@example.com/x", "https://example.com/x"},
	{"question mark in password", "https://user:S3?CR3T@example.com/x?ref=v1", "https://(credentials)@example.com/x?ref=v1", "https://example.com/x?ref=v1"},
	{"at in password", "https://user:S3@CR3T@example.com/x", "https://(credentials)@example.com/x", "https://example.com/x"},
	{"bad escape in password", "https://user:S3CR3T%zz@example.com/x", "https://(credentials)@example.com/x", "https://example.com/x"},
	{"control characters", "https://us\x1b[2Jer:S3CR3T@example.com/x", "https://(credentials)@example.com/x", "https://example.com/x"},
	{"scp-like slash in password", "user:S3/CR3T@example.com:net.git", "(credentials)@example.com:net.git", "example.com:net.git"},
	{"query read as login", "foo?x=S3CR3T@b:c", "(credentials)@b:c", "b:c"},
	{"bad scheme", "1http://user:S3CR3T@example.com/x", "1http://(credentials)@example.com/x", "1http://example.com/x"},
	{"newline", "https://example.com/x?token=S3\nCR3T&ref=v1", "https://example.com/x?token=(credentials)&ref=v1", "https://example.com/x?ref=v1"},
}

func TestRedact(t *testing.T) {
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := sourceaddr.Redact(c.src)
			if got != c.want {
				t.Errorf("Redact(%q)\n got %q\nwant %q", c.src, got, c.want)
			}
			want := c.without
			if want == "" {
				want = c.want
			}
			if w := sourceaddr.WithoutCredentials(c.src); w != want {
				t.Errorf("WithoutCredentials(%q)\n got %q\nwant %q", c.src, w, want)
			}
			for _, out := range []string{got, sourceaddr.WithoutCredentials(c.src)} {
				if strings.Contains(out, "S3") || strings.Contains(out, "CR3T") {
					t.Errorf("a credential survived: %q", out)
				}
			}
			checkProperties(t, c.src)
		})
	}
}

// checkProperties holds for every input: Redact is idempotent, and the
// comparison form does not depend on whether the input was redacted.
func checkProperties(t *testing.T, src string) {
	t.Helper()
	r := sourceaddr.Redact(src)
	if rr := sourceaddr.Redact(r); rr != r {
		t.Errorf("Redact is not idempotent on %q: %q, then %q", src, r, rr)
	}
	w := sourceaddr.WithoutCredentials(src)
	if wr := sourceaddr.WithoutCredentials(r); wr != w {
		t.Errorf("WithoutCredentials(%q) = %q, but of its redaction %q = %q", src, w, r, wr)
	}
	if strings.Contains(w, sourceaddr.Credentials) && !strings.Contains(src, sourceaddr.Credentials) {
		t.Errorf("WithoutCredentials(%q) = %q holds a placeholder", src, w)
	}
	// Whatever Go's URL parser reads as a password or as the value of a
	// known credential parameter is gone (when it is long enough to be told
	// from the rest of the address, and written once).
	u, err := url.Parse(src)
	if err != nil {
		return
	}
	var secrets []string
	if p, ok := u.User.Password(); ok {
		secrets = append(secrets, p, url.UserPassword("", p).String()[1:])
	}
	if u.User != nil && (strings.EqualFold(u.Scheme, "https") || strings.EqualFold(u.Scheme, "http")) {
		// "https://TOKEN@host": the user name is the token.
		secrets = append(secrets, u.User.Username(), url.User(u.User.Username()).String())
	}
	for k, vs := range u.Query() {
		if !strings.EqualFold(k, "token") && !strings.EqualFold(k, "sshkey") && !strings.EqualFold(k, "x-amz-signature") {
			continue
		}
		secrets = append(secrets, vs...)
	}
	for _, s := range secrets {
		if len(s) >= 4 && strings.Count(src, s) == 1 && (strings.Contains(r, s) || strings.Contains(w, s)) {
			t.Errorf("credential %q of %q survived: %q / %q", s, src, r, w)
		}
	}
}

// TestSameModule: sources that differ only in their credentials are the
// same module; any other difference is kept.
func TestSameModule(t *testing.T) {
	tests := []struct {
		a, b string
		same bool
	}{
		{"git::https://x-access-token:S3CR3T1@github.com/acme/net.git?ref=v1", "git::https://x-access-token:S3CR3T2@github.com/acme/net.git?ref=v1", true},
		{"git::https://S3CR3T1@github.com/acme/net.git?ref=v1", "git::https://github.com/acme/net.git?ref=v1", true},
		{"git::https://github.com/acme/net.git?ref=v1&sshkey=S3CR3T1", "git::https://github.com/acme/net.git?ref=v1", true},
		{"git::https://github.com/acme/net.git?sshkey=S3CR3T1&ref=v1", "git::https://github.com/acme/net.git?ref=v1&sshkey=S3CR3T2", true},
		{"https://example.com/m.zip?X-Amz-Signature=S3CR3T1", "https://example.com/m.zip", true},
		{"git::https://S3CR3T1@github.com/acme/net.git?ref=v1", "git::https://S3CR3T1@github.com/acme/net.git?ref=v2", false},
		{"git::https://github.com/acme/net.git?ref=v1&sshkey=S3CR3T1", "git::https://github.com/acme/other.git?ref=v1&sshkey=S3CR3T1", false},
		{"git::ssh://git@github.com/acme/net.git", "git::ssh://deploy@github.com/acme/net.git", false},
	}
	for _, tt := range tests {
		for _, redactFirst := range []bool{false, true} {
			a, b := tt.a, tt.b
			if redactFirst {
				a, b = sourceaddr.Redact(a), sourceaddr.Redact(b)
			}
			if same := sourceaddr.WithoutCredentials(a) == sourceaddr.WithoutCredentials(b); same != tt.same {
				t.Errorf("%q vs %q (redacted first: %v): same = %v, want %v", a, b, redactFirst, same, tt.same)
			}
		}
	}
}

// FuzzRedact checks the properties on any input, seeded with the table.
func FuzzRedact(f *testing.F) {
	for _, c := range cases {
		f.Add(c.src)
	}
	f.Fuzz(func(t *testing.T, src string) {
		checkProperties(t, src)
	})
}
