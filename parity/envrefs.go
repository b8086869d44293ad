package parity

import (
	"strings"

	"github.com/lockstep-iac/lockstep/internal/envtoken"
	"github.com/lockstep-iac/lockstep/report"
	"github.com/lockstep-iac/lockstep/snapshot"
)

// SensitiveValue is a Reference's Value when the value naming another
// environment is a secret: the path and the token are reported, never the
// value.
const SensitiveValue = report.SensitiveText

// Delimiters of the tokens of a string value that are looked up as
// identifiers of other environments' resources (checkEmbedded). Coarse
// tokens keep ARNs, paths and URLs whole (a JSON policy's
// "arn:aws:s3:::bucket"); fine tokens also split those, down to the id in
// a URL's path or an ARN's resource part.
const (
	coarseDelimiters = "\",;=@'`()[]{}<>|?&!#*\\ \t\r\n"
	fineDelimiters   = coarseDelimiters + "/:"
)

// foreignToken is another environment's name or alias, as seen from one
// environment: a token that is not also its own.
type foreignToken struct {
	token string
	env   int
}

// indexForeignTokens lists, for every environment, the tokens of the
// others.
func (b *builder) indexForeignTokens() {
	b.foreign = make([][]foreignToken, len(b.envs))
	b.foreignWords = make([][]string, len(b.envs))
	for i, ix := range b.envs {
		own := map[string]bool{}
		for _, t := range ix.tokens {
			own[t] = true
		}
		for j, other := range b.envs {
			if j == i {
				continue
			}
			for _, t := range other.tokens {
				if !own[t] {
					b.foreign[i] = append(b.foreign[i], foreignToken{token: t, env: j})
					b.foreignWords[i] = append(b.foreignWords[i], t)
				}
			}
		}
	}
}

// delimiterSets are coarseDelimiters and fineDelimiters as byte tables:
// the scan looks every byte of every string up.
var delimiterSets = [2]*[256]bool{byteSet(coarseDelimiters), byteSet(fineDelimiters)}

func byteSet(chars string) *[256]bool {
	var set [256]bool
	for i := 0; i < len(chars); i++ {
		set[chars[i]] = true
	}
	return &set
}

// checkEmbedded looks the tokens of a longer string up as identifiers: a
// URL, ARN, JSON-encoded list or connection string that embeds another
// environment's id or name. Tokens are split at coarseDelimiters, then at
// fineDelimiters; only distinctive ones are looked up.
func (w *refWalker) checkEmbedded(s string) {
	if len(s) <= minIdentifierLength || len(w.b.owners) == 0 {
		return
	}
	for _, delimiters := range delimiterSets {
		start := 0
		for i := 0; i <= len(s); i++ {
			if i < len(s) && !delimiters[s[i]] {
				continue
			}
			if t := s[start:i]; len(t) < len(s) && distinctive(t) {
				w.checkAs(t, true)
			}
			start = i + 1
		}
	}
}

// checkTokens records a reference for every other environment whose name
// or alias the value holds as a whole word: production's
// "https://sqs/orders-staging" names staging. value is the string, or
// SensitiveValue with the tokens the parser found in the secret (sensitive,
// space-separated); raw is the value as the snapshot holds it. Not a
// reference:
//   - a value that also names its own environment, which is about both (a
//     peering "staging-to-prod");
//   - a value that the environment it names holds unchanged at the same
//     path, when that environment comes later in the promotion order: a
//     literal shared by all (every environment ships logs to
//     "central-logs-prod-archive"). Production holding the very value that
//     names staging is still reported: the later environment must not
//     depend on the earlier one's object;
//   - free text: a description or comment ("copied from staging") points at
//     nothing.
func (w *refWalker) checkTokens(value, sensitive string, raw any) {
	foreign := w.b.foreignWords[w.env]
	if len(foreign) == 0 {
		return
	}
	var found []string
	if sensitive != "" {
		for _, t := range strings.Fields(sensitive) {
			if isOwnToken(w.b.envs[w.env].tokens, t) {
				return
			}
		}
		found = intersect(foreign, strings.Fields(sensitive))
	} else {
		found = envtoken.Find(value, foreign)
		if len(found) == 0 || len(envtoken.Find(value, w.b.envs[w.env].tokens)) > 0 {
			return
		}
	}
	// Asked last: almost no value names another environment, and the
	// path's last key is lowered for the question.
	if len(found) == 0 || isProse(w.path) {
		return
	}
	for _, t := range found {
		for _, ft := range w.b.foreign[w.env] {
			if ft.token != t || ft.env > w.env && w.sameAt(ft.env, raw) {
				continue
			}
			w.add(ft.env, func(path string) *Reference {
				return &Reference{
					Env:     w.b.envs[w.env].env.Name,
					Address: w.address,
					Path:    path,
					Value:   shorten(value),
					Planned: w.planned,
					Owner:   Owner{Env: w.b.envs[ft.env].env.Name},
					Token:   t,
				}
			})
		}
	}
}

// sameAt reports whether environment env holds value at the current path,
// now or after its plan (a secret: the same keyed hash).
func (w *refWalker) sameAt(env int, value any) bool {
	m := w.members[env]
	if m == nil {
		return false
	}
	for _, obj := range []*snapshot.Object{m.Now, m.After} {
		if obj == nil {
			continue
		}
		if v, _ := lookup(obj.Values, nil, w.path); v != nil && sameRaw(v, value) {
			return true
		}
	}
	return false
}

// proseKeys name attributes of free text, where another environment's name
// is a remark, not a setting (compared in lower case, at any depth).
var proseKeys = []string{"description", "comment", "comments", "note", "notes"}

// isProse reports whether path ends in an attribute of free text (list
// indexes aside).
func isProse(path []string) bool {
	for i := len(path) - 1; i >= 0; i-- {
		if isInteger(path[i]) {
			continue
		}
		return isOwnToken(proseKeys, envtoken.Lower(path[i]))
	}
	return false
}

func isOwnToken(own []string, t string) bool {
	for _, o := range own {
		if o == t {
			return true
		}
	}
	return false
}

// intersect returns the words of order that are in set, in order's order.
func intersect(order, set []string) []string {
	var out []string
	for _, o := range order {
		if isOwnToken(set, o) {
			out = append(out, o)
		}
	}
	return out
}
