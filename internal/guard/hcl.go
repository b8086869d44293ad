package guard

// HCL checks the nesting of an HCL native-syntax file (lockstep.hcl, a
// .terraform.lock.hcl, a .tf file) without parsing it: it follows brackets,
// braces and parentheses, quoted strings and heredocs with their ${...} and
// %{...} templates (and the if/for directives they nest), and skips
// comments, so that a bracket inside a string or a comment does not count
// and one inside an interpolation does. Chains of operators count too, since
// HCL's parser recurses on unary operators and conditionals and evaluates
// long binary chains recursively. Anything that is not well-formed is left
// to HCL's parser to report: the scanner only has to be right about files
// that parse.
func HCL(src []byte) error {
	s := hclScanner{src: src, line: 1, lineStart: 0}
	return s.run()
}

// frame kinds.
const (
	exprFrame    = iota // a file body, or inside { [ ( or an interpolation
	quotedFrame         // inside "..."
	heredocFrame        // inside <<EOT ... EOT
)

type frame struct {
	kind int
	// marker ends a heredoc.
	marker []byte
	// braceBody is true for the file body and { } frames, where a newline
	// ends an item.
	braceBody bool
	// directives counts the open %{if} and %{for} of a template.
	directives int
	// ops counts the operators of the current item of an expression frame.
	ops int
}

type hclScanner struct {
	src       []byte
	i         int
	line      int
	lineStart int
	stack     []frame
	// depth is len(stack)-1 plus the directives of every template frame.
	depth int
}

// err reports the nesting that goes over the limit at byte at.
func (s *hclScanner) err(at int) error {
	return &Error{Line: s.line, Column: at - s.lineStart + 1, Offset: int64(at), Kind: TooDeep,
		Problem: "nested more than 512 levels deep (brackets, strings, interpolations, directives or chained operators), deeper than any real configuration"}
}

// push opens a frame whose opening token starts at byte at.
func (s *hclScanner) push(f frame, at int) error {
	s.stack = append(s.stack, f)
	s.depth++
	if s.depth > MaxDepth {
		return s.err(at)
	}
	return nil
}

func (s *hclScanner) pop() {
	if len(s.stack) <= 1 {
		return // the file body stays; a stray closer is HCL's to report
	}
	f := s.stack[len(s.stack)-1]
	s.depth -= 1 + f.directives
	s.stack = s.stack[:len(s.stack)-1]
}

func (s *hclScanner) newline() {
	s.line++
	s.lineStart = s.i + 1
}

func (s *hclScanner) peek(k int) byte {
	if s.i+k < len(s.src) {
		return s.src[s.i+k]
	}
	return 0
}

func (s *hclScanner) run() error {
	// The file body is not a level: depth counts what is open inside it.
	s.stack = []frame{{kind: exprFrame, braceBody: true}}
	for s.i < len(s.src) {
		top := &s.stack[len(s.stack)-1]
		var err error
		switch top.kind {
		case exprFrame:
			err = s.expr(top)
		case quotedFrame:
			err = s.quoted(top)
		case heredocFrame:
			err = s.heredoc(top)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// expr scans one token's worth of an expression frame.
func (s *hclScanner) expr(f *frame) error {
	c := s.src[s.i]
	switch {
	case c == '\n':
		if f.braceBody {
			f.ops = 0
		}
		s.newline()
	case c == '#' || (c == '/' && s.peek(1) == '/'):
		for s.i < len(s.src) && s.src[s.i] != '\n' {
			s.i++
		}
		return nil // the newline is scanned next, in this frame
	case c == '/' && s.peek(1) == '*':
		s.i += 2
		for s.i < len(s.src) && !(s.src[s.i] == '*' && s.peek(1) == '/') {
			if s.src[s.i] == '\n' {
				s.newline()
			}
			s.i++
		}
		s.i += 2
		return nil
	case c == '"':
		s.i++
		return s.push(frame{kind: quotedFrame}, s.i-1)
	case c == '<' && s.peek(1) == '<':
		if marker, n := heredocStart(s.src[s.i:]); marker != nil {
			s.i += n // up to the newline, which the heredoc frame scans
			return s.push(frame{kind: heredocFrame, marker: marker}, s.i-n)
		}
		s.i += 2
		return s.op(f, s.i-2)
	case c == '{':
		s.i++
		return s.push(frame{kind: exprFrame, braceBody: true}, s.i-1)
	case c == '[':
		// x[a][b][c]... nests one index expression in the next, which
		// HCL evaluates recursively: a chain of indexes counts as one of
		// operators.
		s.i++
		if err := s.op(f, s.i-1); err != nil {
			return err
		}
		return s.push(frame{kind: exprFrame}, s.i-1)
	case c == '(':
		s.i++
		return s.push(frame{kind: exprFrame}, s.i-1)
	case c == '}' || c == ']' || c == ')':
		s.pop()
	case c == ',':
		f.ops = 0
	case (c == '&' || c == '|') && s.peek(1) == c:
		s.i += 2
		return s.op(f, s.i-2)
	case c == '?' || c == '!' || c == '-' || c == '+' || c == '*' || c == '/' || c == '%' ||
		c == '<' || c == '>' || c == '&' || c == '|':
		s.i++
		return s.op(f, s.i-1)
	case c == '=':
		if s.peek(1) == '=' {
			s.i += 2
			return s.op(f, s.i-2)
		}
	}
	s.i++
	return nil
}

// op counts an operator, at byte at, of the current item.
func (s *hclScanner) op(f *frame, at int) error {
	f.ops++
	if s.depth+f.ops > MaxDepth {
		return s.err(at)
	}
	return nil
}

// template handles what quoted strings and heredocs share: ${ and %{ open
// an interpolation or a directive, $${ and %%{ are literal.
func (s *hclScanner) template(f *frame) (bool, error) {
	c := s.src[s.i]
	if (c != '$' && c != '%') || s.i+1 >= len(s.src) {
		return false, nil
	}
	at := s.i
	switch {
	case s.src[s.i+1] == c && s.peek(2) == '{':
		s.i += 3
		return true, nil
	case s.src[s.i+1] == '{':
		if c == '%' {
			switch directiveWord(s.src[s.i+2:]) {
			case "if", "for":
				f.directives++
				s.depth++
			case "endif", "endfor":
				if f.directives > 0 {
					f.directives--
					s.depth--
				}
			}
		}
		s.i += 2
		return true, s.push(frame{kind: exprFrame}, at)
	}
	return false, nil
}

func (s *hclScanner) quoted(f *frame) error {
	if ok, err := s.template(f); ok || err != nil {
		return err
	}
	switch s.src[s.i] {
	case '\\':
		s.i++
	case '"':
		s.i++
		s.pop()
		return nil
	case '\n':
		// A quoted string cannot span lines: HCL reports it, and the
		// scanner goes on as if the string had ended.
		s.pop()
		return nil
	}
	s.i++
	return nil
}

func (s *hclScanner) heredoc(f *frame) error {
	if ok, err := s.template(f); ok || err != nil {
		return err
	}
	if s.src[s.i] != '\n' {
		s.i++
		return nil
	}
	s.newline()
	s.i++
	// A line holding only the marker (indented or not) ends the heredoc.
	j := s.i
	for j < len(s.src) && (s.src[j] == ' ' || s.src[j] == '\t') {
		j++
	}
	rest := s.src[j:]
	if len(rest) >= len(f.marker) && string(rest[:len(f.marker)]) == string(f.marker) {
		after := rest[len(f.marker):]
		if len(after) == 0 || after[0] == '\n' || (after[0] == '\r' && (len(after) == 1 || after[1] == '\n')) {
			s.i = j + len(f.marker)
			s.pop()
		}
	}
	return nil
}

// heredocStart recognises <<MARKER or <<-MARKER followed by a newline and
// returns the marker and the length up to the newline.
func heredocStart(b []byte) ([]byte, int) {
	i := 2
	if i < len(b) && b[i] == '-' {
		i++
	}
	start := i
	for i < len(b) && isIdentByte(b[i]) {
		i++
	}
	if i == start {
		return nil, 0
	}
	marker := b[start:i]
	if i < len(b) && b[i] == '\r' {
		i++
	}
	if i >= len(b) || b[i] != '\n' {
		return nil, 0
	}
	return marker, i
}

func isIdentByte(c byte) bool {
	return c == '_' || c == '-' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

// directiveWord returns the keyword that opens a template directive, after
// an optional ~ strip marker and white space.
func directiveWord(b []byte) string {
	i := 0
	if i < len(b) && b[i] == '~' {
		i++
	}
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	start := i
	for i < len(b) && b[i] >= 'a' && b[i] <= 'z' {
		i++
	}
	return string(b[start:i])
}
