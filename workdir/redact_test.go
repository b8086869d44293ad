package workdir

import (
	"strings"
	"testing"
)

// TestCleanOutput: Terraform's error output becomes one short line with
// every credential-looking part hidden and what helps the user kept.
func TestCleanOutput(t *testing.T) {
	t.Setenv("LOCKSTEP_TEST_DB_PASSWORD", "hunter2-env-value")
	for _, tc := range []struct {
		name, in string
		keep     []string
		hide     []string
	}{
		{"pg connection string", "\x1b[31m╷\n│ Error: failed to connect to `postgres://app:pa55word@db.internal:5432/tf?sslmode=disable`\n╵\n",
			[]string{"Error: failed to connect", "db.internal:5432", "(credentials)"}, []string{"pa55word", "\x1b", "╷"}},
		{"key=value", "dial error: host=10.0.0.1 user=app password=s3cret sslmode=disable",
			[]string{"host=10.0.0.1", "password=(credentials)"}, []string{"s3cret"}},
		{"bearer", "401 Unauthorized: Authorization: Bearer eyJhbGciOi.abc.def",
			[]string{"401 Unauthorized"}, []string{"eyJhbGciOi"}},
		{"aws key id", "InvalidClientTokenId: AKIAIOSFODNN7EXAMPLE is not valid",
			[]string{"InvalidClientTokenId"}, []string{"AKIAIOSFODNN7EXAMPLE"}},
		{"signed url", "GET https://bucket.s3.amazonaws.com/state?X-Amz-Signature=abcdef0123&X-Amz-Credential=AKIA/x: 403",
			[]string{"bucket.s3.amazonaws.com", "403"}, []string{"abcdef0123"}},
		{"environment value", "could not log in with hunter2-env-value", []string{"could not log in"}, []string{"hunter2-env-value"}},
		{"long output", strings.Repeat("Error: x ", 1000), []string{"bytes)"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := cleanOutput(tc.in)
			for _, k := range tc.keep {
				if !strings.Contains(got, k) {
					t.Errorf("lost %q: %s", k, got)
				}
			}
			for _, h := range tc.hide {
				if strings.Contains(got, h) {
					t.Errorf("kept %q: %s", h, got)
				}
			}
			if len(got) > maxOutput+40 || strings.Contains(got, "\n") {
				t.Errorf("not one short line: %q", got)
			}
		})
	}
}
