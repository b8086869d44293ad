// Package sourceaddr hides the credentials that a source address can carry:
// a module call's `source` from a plan's configuration, and a provider
// address from a lock file. Terraform never marks them sensitive, yet
// people write tokens into them (git::https://x-access-token:TOKEN@github.com/...,
// ?sshkey=BASE64, s3 and signed-URL query parameters). Redact is applied
// where lockstep reads such an address, so the snapshot, the parity facts,
// the policy input, --dump-input, --debug, --trace and every report format
// only ever hold the redacted form; nothing downstream can print the token
// by accident.
//
// The rules are textual, not url.Parse and String, so that everything that
// is not a credential (the forced getter "git::", "//subdir", "?ref=", the
// order and escaping of parameters) stays byte for byte as written, and so
// that an address that is not a valid URL is still redacted, more widely
// rather than less.
//
// It is a package of its own, not part of snapshot (which holds data, not
// parsing) nor of parser: the parser applies Redact to plans and lock
// files, and parity compares with WithoutCredentials, so both the redaction
// and the equality it implies live in one place.
package sourceaddr

import (
	"net/url"
	"strings"

	"github.com/lockstep-iac/lockstep/internal/lazyre"
)

// Credentials stands in for every hidden part of an address.
const Credentials = "(credentials)"

// Redact returns src with every part that can hold a credential replaced by
// Credentials:
//   - the userinfo: everything before the last "@" up to the first "/"
//     after the scheme ("https://user:token@host" and "https://token@host"
//     both become "https://(credentials)@host"), except a plain user name
//     with an ssh scheme ("git::ssh://git@host/...") or in scp-like syntax
//     ("git@github.com:org/repo.git"), which is a login, not a secret. When
//     the "@" comes after that "/" and the address does not read as a
//     plain host (it does not parse as a URL, or its authority holds a
//     ":"), everything up to the last "@" is hidden: "user:12/34@host" is a
//     password holding "/";
//   - the value of every query parameter except those known to be harmless
//     (ref, rev, depth, archive, filename, checksum as a hash, region,
//     version, aws_profile and the non-secret fields of AWS, GCS and Azure
//     signed URLs); parameters known to hold a secret keep their name
//     ("sshkey=(credentials)"), any other parameter is replaced as a whole,
//     name included, since lockstep cannot tell its name is not a token;
//     names are matched case-insensitively after unescaping, and ";"
//     separates parameters like "&";
//   - a non-empty fragment ("#...").
//
// Redact is idempotent, and returns src unchanged when it holds none of
// these (registry addresses, local paths, provider addresses).
func Redact(src string) string { return split(src).render(true) }

// WithoutCredentials is src with every part Redact would hide left out
// instead, including the placeholders of an address Redact already
// redacted: the address of the module itself. Two sources that differ only
// in their credentials (different tokens, or a token in one and none in the
// other) have the same WithoutCredentials: they fetch the same module.
// WithoutCredentials(Redact(s)) == WithoutCredentials(s).
func WithoutCredentials(src string) string { return split(src).render(false) }

// address is a source split into the parts the rules tell apart.
type address struct {
	getters string // forced getters as written, "git::" or ""
	scheme  string // up to and including "://", or ""
	// user is the userinfo without its "@"; hasUser says there was an "@".
	user        string
	hasUser     bool
	hideUser    bool
	rest        string // host and path
	hasQuery    bool
	params      []param
	fragment    string // without its "#"
	hasFragment bool
}

type param struct {
	sep  string // the "&" or ";" before it, "" for the first
	text string // as written, without the separator
	key  string // the name as written, before "="
	kind paramKind
}

type paramKind int

const (
	shown       paramKind = iota // harmless: shown as written
	valueShown                   // known secret with no value ("?sshkey"): nothing to hide
	valueHidden                  // known secret: name shown, value hidden
	hidden                       // unknown: hidden whole
)

// forcedGetter is go-getter's "getter::" prefix (git::, hg::, s3::, gcs::).
var forcedGetter = lazyre.New(`^[A-Za-z0-9]+::`)

// plainUser is a login name that cannot be a token in disguise for the
// schemes where it is kept (ssh, scp-like), and that holds no ":", "?" or
// other syntax that would mean the split went wrong.
var plainUser = lazyre.New(`^[A-Za-z0-9._-]{1,64}$`)

func split(s string) address {
	var a address
	for {
		m := forcedGetter().FindString(s)
		if m == "" {
			break
		}
		a.getters += m
		s = s[len(m):]
	}
	scheme := false
	if i := strings.Index(s, "://"); i > 0 && !strings.ContainsAny(s[:i], "/?#@") {
		a.scheme, s, scheme = s[:i+3], s[i+3:], true
	} else if strings.HasPrefix(s, "//") {
		// A scheme-relative URL: an authority follows all the same.
		a.scheme, s, scheme = "//", s[2:], true
	}
	// The authority runs to the first "/", not to "?" or "#": a password
	// holding those must not end it early. Its last "@" ends the userinfo.
	auth := s
	if j := strings.IndexByte(s, '/'); j >= 0 {
		auth = s[:j]
	}
	at := strings.LastIndexByte(auth, '@')
	if at < 0 && strings.Contains(s, "@") && (strings.Contains(auth, ":") || scheme && !parses(a.scheme+s)) {
		// A "@" after the first "/", with an authority that is not plainly
		// a host: a password holding "/" ("user:12/34@host") is the
		// likeliest reading, so everything up to the last "@" is hidden.
		at = strings.LastIndexByte(s, '@')
	}
	if at >= 0 {
		a.user, a.hasUser, s = s[:at], true, s[at+1:]
		login := plainUser().MatchString(a.user)
		if scheme {
			login = login && isSSH(a.scheme)
		} else {
			// scp-like "user@host:path": a login; "token@host/path" is not.
			host := s
			if j := strings.IndexAny(s, "/?#"); j >= 0 {
				host = s[:j]
			}
			login = login && strings.Contains(host, ":")
		}
		a.hideUser = a.user != "" && !login
	}
	if i := strings.IndexByte(s, '#'); i >= 0 {
		a.fragment, a.hasFragment, s = s[i+1:], true, s[:i]
	}
	if i := strings.IndexByte(s, '?'); i >= 0 {
		a.hasQuery = true
		// ";" separates parameters for some servers (and for Go before
		// 1.17): split there too, so that "ref=v1;token=..." is not shown
		// as the value of ref.
		q, sep := s[i+1:], ""
		for {
			j := strings.IndexAny(q, "&;")
			if j < 0 {
				a.params = append(a.params, classify(sep, q))
				break
			}
			a.params = append(a.params, classify(sep, q[:j]))
			sep, q = q[j:j+1], q[j+1:]
		}
		s = s[:i]
	}
	a.rest = s
	return a
}

func parses(u string) bool {
	_, err := url.Parse(u)
	return err == nil
}

func isSSH(scheme string) bool {
	switch strings.ToLower(strings.TrimSuffix(scheme, "://")) {
	case "ssh", "git+ssh", "ssh+git":
		return true
	}
	return false
}

// readable are the parameters that never carry a credential: go-getter's
// own options, and the fields of signed URLs that are not the signature or
// the key (AWS SigV4, GCS V4, Azure SAS), so that such a URL stays legible.
var readable = map[string]bool{
	"ref": true, "rev": true, "depth": true, "archive": true, "filename": true,
	"region": true, "version": true, "aws_profile": true,
	"x-amz-algorithm": true, "x-amz-date": true, "x-amz-expires": true, "x-amz-signedheaders": true,
	"x-goog-algorithm": true, "x-goog-date": true, "x-goog-expires": true, "x-goog-signedheaders": true,
	"expires": true,
	"sv":      true, "ss": true, "srt": true, "sp": true, "se": true, "st": true, "spr": true, "sr": true, "sip": true,
}

// secret are the parameters known to carry a credential: go-getter's
// (sshkey, the s3 keys), the common token names, and the signatures and
// credentials of signed URLs (AWS SigV2 and SigV4, GCS, Azure SAS "sig").
var secret = map[string]bool{
	"sshkey": true, "aws_access_key_id": true, "aws_access_key_secret": true, "aws_access_token": true,
	"token": true, "access_token": true, "private_token": true, "auth_token": true, "id_token": true, "refresh_token": true,
	"password": true, "passwd": true, "pass": true, "pwd": true, "secret": true, "client_secret": true,
	"api_key": true, "apikey": true, "key": true, "auth": true,
	"x-amz-signature": true, "x-amz-credential": true, "x-amz-security-token": true,
	"awsaccesskeyid": true, "signature": true, "x-goog-signature": true, "x-goog-credential": true, "googleaccessid": true,
	"sig": true,
}

// checksumValue is go-getter's checksum as a hash ("sha256:ab12...", or bare
// hex); its other form, "file:URL", is a URL that can hold credentials.
var checksumValue = lazyre.New(`^(?:[A-Za-z0-9]+:)?[0-9A-Fa-f]+$`)

// plainValue is what a readable parameter's value looks like (a tag, a
// branch, a commit, a number, a file name, a date). Anything else, such as
// an escaped "&token=" smuggled into a ref, is hidden like a credential.
var plainValue = lazyre.New(`^[A-Za-z0-9._/+~^,:@ -]*$`)

// plain reports whether a parameter value, unescaped, is plain.
func plain(value string) bool {
	v, err := url.QueryUnescape(value)
	return err == nil && plainValue().MatchString(v)
}

func classify(sep, text string) param {
	key, value, hasValue := strings.Cut(text, "=")
	p := param{sep: sep, text: text, key: key}
	if text == "" {
		return p
	}
	name, err := url.QueryUnescape(key)
	name = strings.ToLower(name)
	switch {
	case err != nil:
		p.kind = hidden
	case readable[name] && plain(value):
		p.kind = shown
	case readable[name]:
		p.kind = valueHidden
	case name == "checksum" && (!hasValue || checksumValue().MatchString(value)):
		p.kind = shown
	case (secret[name] || name == "checksum") && !hasValue:
		p.kind = valueShown
	case secret[name] || name == "checksum":
		p.kind = valueHidden
	default:
		p.kind = hidden
	}
	return p
}

func (a address) render(redact bool) string {
	var b strings.Builder
	b.WriteString(a.getters)
	b.WriteString(a.scheme)
	switch {
	case !a.hasUser:
	case !a.hideUser:
		b.WriteString(a.user)
		b.WriteByte('@')
	case redact:
		b.WriteString(Credentials)
		b.WriteByte('@')
	}
	b.WriteString(a.rest)
	if a.hasQuery {
		var q strings.Builder
		kept := 0
		for _, p := range a.params {
			text := p.text
			switch {
			case p.kind == shown || p.kind == valueShown:
			case !redact:
				continue
			case p.kind == valueHidden:
				text = p.key + "=" + Credentials
			default:
				text = Credentials
			}
			if kept > 0 {
				q.WriteString(p.sep)
			}
			q.WriteString(text)
			kept++
		}
		// Without credentials, a query that held only credentials is gone,
		// "?" included.
		if redact || kept > 0 {
			b.WriteByte('?')
			b.WriteString(q.String())
		}
	}
	if a.hasFragment {
		switch {
		case a.fragment == "":
			b.WriteByte('#')
		case redact:
			b.WriteString("#" + Credentials)
		}
	}
	return b.String()
}
