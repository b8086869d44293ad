package recipes

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
)

// exprRef matches one ${{ ... }} in a value.
var exprRef = regexp.MustCompile(`\$\{\{(.*?)\}\}`)

// interpolate replaces each ${{ expression }} in s with its value.
func (r *actionRun) interpolate(s string) string {
	return exprRef.ReplaceAllStringFunc(s, func(m string) string {
		return str(r.eval(exprRef.FindStringSubmatch(m)[1]))
	})
}

// eval evaluates the subset of GitHub's expression language that action.yml
// uses: contexts (inputs, steps.ID.outputs.NAME, github.action_path,
// runner.temp|os|arch), 'strings', ==, != (case-insensitive, as GitHub
// compares strings), !, &&, ||, parentheses, and success(), always(),
// failure() and cancelled(). Anything else fails the test, so a condition
// is never silently misread.
func (r *actionRun) eval(expr string) any {
	p := &exprParser{r: r, src: expr}
	v := p.or()
	p.space()
	if p.pos != len(p.src) {
		r.t.Fatalf("expression %q: cannot parse from %q", expr, p.src[p.pos:])
	}
	return v
}

type exprParser struct {
	r   *actionRun
	src string
	pos int
}

func (p *exprParser) space() {
	for p.pos < len(p.src) && unicode.IsSpace(rune(p.src[p.pos])) {
		p.pos++
	}
}

func (p *exprParser) eat(tok string) bool {
	p.space()
	if strings.HasPrefix(p.src[p.pos:], tok) {
		p.pos += len(tok)
		return true
	}
	return false
}

func (p *exprParser) or() any {
	v := p.and()
	for p.eat("||") {
		w := p.and()
		if !truthy(v) {
			v = w
		}
	}
	return v
}

func (p *exprParser) and() any {
	v := p.unary()
	for p.eat("&&") {
		w := p.unary()
		if truthy(v) {
			v = w
		}
	}
	return v
}

func (p *exprParser) unary() any {
	if p.eat("!") {
		return !truthy(p.unary())
	}
	return p.compare()
}

func (p *exprParser) compare() any {
	v := p.primary()
	switch {
	case p.eat("=="):
		return strings.EqualFold(str(v), str(p.primary()))
	case p.eat("!="):
		return !strings.EqualFold(str(v), str(p.primary()))
	}
	return v
}

func (p *exprParser) primary() any {
	t := p.r.t
	p.space()
	switch {
	case p.eat("("):
		v := p.or()
		if !p.eat(")") {
			t.Fatalf("expression %q: missing )", p.src)
		}
		return v
	case p.eat("'"):
		end := strings.Index(p.src[p.pos:], "'")
		if end < 0 {
			t.Fatalf("expression %q: unterminated string", p.src)
		}
		s := p.src[p.pos : p.pos+end]
		p.pos += end + 1
		return s
	}
	start := p.pos
	for p.pos < len(p.src) && (unicode.IsLetter(rune(p.src[p.pos])) || unicode.IsDigit(rune(p.src[p.pos])) || strings.ContainsRune("._-", rune(p.src[p.pos]))) {
		p.pos++
	}
	ref := p.src[start:p.pos]
	if ref == "" {
		t.Fatalf("expression %q: unexpected %q", p.src, p.src[p.pos:])
	}
	if p.eat("()") {
		switch ref {
		case "success":
			return !p.r.failed
		case "failure":
			return p.r.failed
		case "always":
			return true
		case "cancelled":
			return false
		}
		t.Fatalf("expression %q: function %s not supported", p.src, ref)
	}
	return p.r.context(ref)
}

// context looks up a dotted context reference.
func (r *actionRun) context(ref string) string {
	parts := strings.Split(ref, ".")
	switch {
	case len(parts) == 2 && parts[0] == "inputs":
		v, ok := r.inputs[parts[1]]
		if !ok {
			r.t.Fatalf("%s: no such input in action.yml", ref)
		}
		return v
	case len(parts) == 4 && parts[0] == "steps" && parts[2] == "outputs":
		return r.outputs[parts[1]][parts[3]]
	case ref == "github.action_path":
		return repoRoot
	case ref == "runner.temp":
		return r.temp
	case ref == "runner.os":
		return "Linux"
	case ref == "runner.arch":
		return "X64"
	}
	r.t.Fatalf("context %s not supported by this test's runner", ref)
	return ""
}

func truthy(v any) bool {
	switch v := v.(type) {
	case bool:
		return v
	case string:
		return v != ""
	}
	return v != nil
}

func str(v any) string {
	switch v := v.(type) {
	case bool:
		if v {
			return "true"
		}
		return "false"
	case string:
		return v
	}
	return fmt.Sprint(v)
}
