package baseline

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/lockstep-iac/lockstep/policy"
)

// Environment is one environment of the generated file: its name as given,
// and the aliases guessed for it.
type Environment struct {
	Name    string
	Aliases []Alias
}

// Alias is a guessed alias and why: the first address (sorted) whose
// words include it, or of whose values it is a word. The evidence is an
// address, never a value, so that no attribute value reaches the file.
type Alias struct {
	Token    string
	Evidence string
	// InValues is true when the word is in Evidence's values, not in the
	// address itself.
	InValues bool
}

// synonyms are the spellings teams use for one environment. A guess is only
// ever one of these: a word found in one environment's addresses that is a
// known spelling of that environment's name, so the file never aliases an
// environment to an arbitrary word of its resources.
var synonyms = [][]string{
	{"production", "prod", "prd", "live"},
	{"staging", "stage", "stg"},
	{"development", "dev", "develop"},
	{"test", "testing", "tst"},
	{"preproduction", "preprod"},
	{"sandbox", "sbx"},
	{"integration", "int"},
	{"acceptance", "acc", "uat"},
	{"qa", "quality"},
}

// guessAliases proposes, for each environment, the known spellings of its
// name that appear as whole words (case-insensitive, split on anything but
// letters and digits, as parity matches environment tokens) in its
// resources' addresses or string values, and in no other
// environment's: "prod" in aws_s3_bucket.logs_prod makes it production's
// alias, so that resource matches staging's aws_s3_bucket.logs_stg.
func guessAliases(doc *policy.Document) []Environment {
	return guessAliasesOf(doc.Environments, doc)
}

func guessAliasesOf(names []string, doc *policy.Document) []Environment {
	words := make([]map[string]evidence, len(names))
	for i, n := range names {
		words[i] = envWords(doc.EnvDocuments()[n])
	}
	out := make([]Environment, len(names))
	for i, n := range names {
		out[i] = Environment{Name: n}
		for _, c := range candidates(n) {
			ev, ok := words[i][c]
			if !ok || taken(c, i, names, words) {
				continue
			}
			out[i].Aliases = append(out[i].Aliases, Alias{Token: c, Evidence: ev.address, InValues: ev.inValues})
		}
	}
	return out
}

// candidates are the other spellings of name's synonym group.
func candidates(name string) []string {
	lower := strings.ToLower(name)
	for _, g := range synonyms {
		if slices.Contains(g, lower) {
			var out []string
			for _, s := range g {
				if s != lower {
					out = append(out, s)
				}
			}
			return out
		}
	}
	return nil
}

// taken reports whether token c would be ambiguous: another environment's
// name, or a word of another environment's resources too.
func taken(c string, self int, names []string, words []map[string]evidence) bool {
	for j, n := range names {
		if j == self {
			continue
		}
		if strings.EqualFold(n, c) {
			return true
		}
		if _, ok := words[j][c]; ok {
			return true
		}
	}
	return false
}

// evidence is where a word was first seen.
type evidence struct {
	address  string
	inValues bool
}

// envWords maps each lower-case word of an environment's addresses and
// string values to the first address (sorted) it occurs in, the address
// itself before its values.
func envWords(env *policy.EnvDocument) map[string]evidence {
	out := map[string]evidence{}
	if env == nil {
		return out
	}
	addrs := make([]string, 0, len(env.Resources))
	for a := range env.Resources {
		addrs = append(addrs, a)
	}
	sort.Strings(addrs)
	for _, a := range addrs {
		add := func(inValues bool) func(string) {
			return func(t string) {
				for _, w := range splitWords(t) {
					if _, seen := out[w]; !seen {
						out[w] = evidence{a, inValues}
					}
				}
			}
		}
		add(false)(a)
		for _, side := range []string{"now", "after"} {
			strs(env.Resources[a][side], add(true))
		}
	}
	return out
}

// strs calls f with every string in v, at any depth.
func strs(v any, f func(string)) {
	switch t := v.(type) {
	case string:
		f(t)
	case map[string]any:
		for _, c := range t {
			strs(c, f)
		}
	case []any:
		for _, c := range t {
			strs(c, f)
		}
	}
}

// splitWords is s lower-cased and split on everything but ASCII letters and
// digits.
func splitWords(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9')
	})
}

// guess says where the alias comes from, for a comment or the summary.
func (a Alias) guess() string {
	where := "the address " + a.Evidence
	if a.InValues {
		where = "the values of " + a.Evidence
	}
	return fmt.Sprintf("%q is a guess, a word in %s: check it", a.Token, where)
}
