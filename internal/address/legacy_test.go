package address

import (
	"reflect"
	"strings"
	"testing"
)

// The address readers this package replaced, kept here only to show that
// on every address Parse accepts the answers are the same (tfsource's
// SplitAddress, parser's moduleOf). Delete once the parser is switched over
// and nobody needs the evidence.

func legacySplitAddress(addr string) (modules []string, resource string) {
	var parts []string
	depth, inStr, start := 0, false, 0
	for i := 0; i < len(addr); i++ {
		c := addr[i]
		switch {
		case inStr && c == '\\':
			i++
		case c == '"':
			inStr = !inStr
		case !inStr && c == '[':
			depth++
		case !inStr && c == ']':
			depth--
		case !inStr && depth == 0 && c == '.':
			parts = append(parts, addr[start:i])
			start = i + 1
		}
	}
	parts = append(parts, addr[start:])
	strip := func(s string) string {
		if i := strings.IndexByte(s, '['); i >= 0 {
			return s[:i]
		}
		return s
	}
	for len(parts) >= 2 && parts[0] == "module" {
		modules = append(modules, strip(parts[1]))
		parts = parts[2:]
	}
	for i := range parts {
		parts[i] = strip(parts[i])
	}
	return modules, strings.Join(parts, ".")
}

func legacyModuleOf(addr string) string {
	rest, mod := addr, ""
	for strings.HasPrefix(rest, "module.") {
		end := legacyStepEnd(rest, len("module."))
		if mod != "" {
			mod += "."
		}
		mod += rest[:end]
		if end >= len(rest) {
			break
		}
		rest = rest[end+1:]
	}
	return mod
}

func legacyStepEnd(s string, from int) int {
	depth := 0
	for i := from; i < len(s); i++ {
		switch s[i] {
		case '[':
			depth++
		case ']':
			depth--
		case '"':
			for i++; i < len(s) && s[i] != '"'; i++ {
				if s[i] == '\\' {
					i++
				}
			}
		case '.':
			if depth == 0 {
				return i
			}
		}
	}
	return len(s)
}

// agreesWithLegacy fails t when Parse accepted s but the replaced readers
// would have answered differently.
func agreesWithLegacy(t *testing.T, s string, a Address) {
	t.Helper()
	mods, res := legacySplitAddress(s)
	var gotMods []string
	for _, m := range a.Module {
		gotMods = append(gotMods, m.Name)
	}
	gotRes := ""
	if a.Resource != nil {
		r := *a.Resource
		r.Key = Key{}
		gotRes = r.String()
	}
	if !reflect.DeepEqual(gotMods, mods) || gotRes != res {
		t.Fatalf("%q: Parse gives %q %q, SplitAddress gave %q %q", s, gotMods, gotRes, mods, res)
	}
	if mp, err := ModulePath(s); err != nil || mp != legacyModuleOf(s) {
		t.Fatalf("%q: ModulePath = %q, %v; moduleOf gave %q", s, mp, err, legacyModuleOf(s))
	}
}

func TestLegacyAgreement(t *testing.T) {
	for _, s := range []string{
		`module.net["eu.west"].module.sg[0].data.aws_vpc.main`, `terraform_data.svc["a\"].b"]`,
		"module.app", "aws_instance.web[0]", `module.a["x]y"].t.n["\\"]`, `module.a["$${x}"].module.b[3].ephemeral.t.n`,
	} {
		a, err := Parse(s)
		if err != nil {
			t.Fatalf("Parse(%q): %v", s, err)
		}
		agreesWithLegacy(t, s, a)
	}
}
