package workdir

import (
	"os"
	"strings"

	"github.com/lockstep-iac/lockstep/internal/lazyre"
	"github.com/lockstep-iac/lockstep/internal/sourceaddr"
	"github.com/lockstep-iac/lockstep/report"
)

// maxOutput is how much of Terraform's error message an error keeps: the
// first diagnostic, which says what failed, fits; pages of provider debug
// output do not.
const maxOutput = 600

var (
	ansi = lazyre.New(`\x1b\[[0-9;]*[A-Za-z]`)
	// A URL or connection string with a userinfo part, and the query of
	// any URL: sourceaddr knows which parts of those hold credentials.
	urlish = lazyre.New(`[A-Za-z][A-Za-z0-9+.-]*://[^\s"'<>]+`)
	// key=value and key: value pairs whose key names a credential
	// (password=, PGPASSWORD=, token:, secret_key=, Authorization: Bearer).
	secretPair = lazyre.New(`(?i)\b([A-Za-z0-9_.-]*(?:password|passwd|pwd|secret|token|credential|api[_-]?key|access[_-]?key|private[_-]?key|authorization|sas|signature)[A-Za-z0-9_.-]*)(\s*[=:]\s*)(?:bearer\s+|basic\s+)?("[^"]*"|'[^']*'|[^\s,;&)]+)`)
	// An HTTP authorization scheme's credentials, wherever they stand.
	bearer = lazyre.New(`(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]+`)
	// Cloud key ids and long opaque tokens, wherever they stand.
	opaque = lazyre.New(`\b(?:AKIA|ASIA)[A-Z0-9]{16}\b|\b[A-Za-z0-9+/_=-]{40,}\b`)
	// Environment variables whose values are hidden wherever they appear:
	// credential names, and connection strings (PG_CONN_STR, DATABASE_URL).
	secretEnv = lazyre.New(`(?i)password|passwd|secret|token|credential|api_?key|access_?key|private_?key|conn_?str|dsn|_url$|auth`)
)

// cleanOutput turns Terraform's stderr into one line for an error message:
// colours and the diagnostic box drawing removed, whitespace collapsed,
// anything that looks like a credential replaced with
// sourceaddr.Credentials, and the result shortened. Terraform quotes the
// backend configuration in some messages (a pg conn_str with its
// password, a signed URL), so this is applied before anything is kept.
func cleanOutput(stderr string) string {
	s := ansi().ReplaceAllString(stderr, "")
	s = strings.Map(func(r rune) rune {
		switch r {
		case '╷', '╵', '│', '─':
			return ' '
		}
		if r < ' ' || r == 0x7f {
			return ' '
		}
		return r
	}, s)
	s = strings.Join(strings.Fields(s), " ")
	s = redactSecrets(s)
	return report.Shorten(s, maxOutput)
}

func redactSecrets(s string) string {
	s = urlish().ReplaceAllStringFunc(s, sourceaddr.Redact)
	s = bearer().ReplaceAllString(s, "${1} "+sourceaddr.Credentials)
	s = secretPair().ReplaceAllString(s, "${1}${2}"+sourceaddr.Credentials)
	s = opaque().ReplaceAllString(s, sourceaddr.Credentials)
	// The values of credential-looking environment variables, in case
	// Terraform echoes one back without its name.
	for _, kv := range os.Environ() {
		k, v, _ := strings.Cut(kv, "=")
		if len(v) >= 6 && secretEnv().MatchString(k) {
			s = strings.ReplaceAll(s, v, sourceaddr.Credentials)
		}
	}
	return s
}
