package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode"
)

// linkedDocs are the globs, relative to the repository root, of the Markdown
// files whose relative links TestDocLinks follows.
var linkedDocs = []string{"README.md", "docs/*.md", "examples/policies/README.md", "testdata/scenarios/README.md"}

// pendingLinkTargets are files that documentation links to ahead of the
// branch that writes them. A pending target that is missing is not an error;
// once it exists it is checked like any other. Remove an entry when its file
// has landed.
var pendingLinkTargets = map[string]string{}

var (
	fence       = regexp.MustCompile("(?ms)^ *```.*?^ *```[^\n]*$")
	codeSpan    = regexp.MustCompile("`[^`\n]*`")
	inlineLink  = regexp.MustCompile(`\]\(([^)\s]+)(?:\s+"[^"]*")?\)`)
	heading     = regexp.MustCompile(`(?m)^#{1,6}[ \t]+(.+?)[ \t#]*$`)
	htmlAnchor  = regexp.MustCompile(`<a (?:id|name)="([^"]+)"`)
	headingLink = regexp.MustCompile(`\[([^\]]*)\]\([^)]*\)`)
	urlScheme   = regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9+.-]*:`)
)

// prose is doc without its fenced code blocks, whose brackets and hashes
// are code, not links and headings.
func prose(doc string) string {
	return fence.ReplaceAllString(doc, "")
}

// markdownLinks returns the targets of doc's inline links outside code.
func markdownLinks(doc string) []string {
	var out []string
	for _, m := range inlineLink.FindAllStringSubmatch(codeSpan.ReplaceAllString(prose(doc), ""), -1) {
		out = append(out, m[1])
	}
	return out
}

// slug is GitHub's anchor for a heading: the text as rendered, lower-cased,
// without punctuation other than '-' and '_', spaces turned into '-'.
func slug(text string) string {
	text = headingLink.ReplaceAllString(text, "$1")
	var b strings.Builder
	for _, r := range strings.ToLower(text) {
		switch {
		case r == ' ':
			b.WriteRune('-')
		case r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
		}
	}
	return b.String()
}

// anchors returns the anchors doc defines: its headings' (numbered -1, -2,
// ... when repeated, as GitHub does) and explicit <a id>s.
func anchors(doc string) map[string]bool {
	out := map[string]bool{}
	seen := map[string]int{}
	text := prose(doc)
	for _, m := range heading.FindAllStringSubmatch(text, -1) {
		s := slug(m[1])
		if n := seen[s]; n > 0 {
			out[fmt.Sprintf("%s-%d", s, n)] = true
		} else {
			out[s] = true
		}
		seen[s]++
	}
	for _, m := range htmlAnchor.FindAllStringSubmatch(text, -1) {
		out[m[1]] = true
	}
	return out
}

// brokenLinks checks every relative link of the Markdown file name (a
// slash path relative to root): its file or directory exists, and its
// anchor, if any, is a heading of the target. It returns one message per
// broken link.
func brokenLinks(root, name string, pending map[string]string) ([]string, error) {
	src, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(name)))
	if err != nil {
		return nil, err
	}
	var broken []string
	for _, link := range markdownLinks(string(src)) {
		if urlScheme.MatchString(link) {
			continue
		}
		path, anchor, _ := strings.Cut(link, "#")
		target := name
		if path != "" {
			target = filepath.ToSlash(filepath.Join(filepath.Dir(filepath.FromSlash(name)), filepath.FromSlash(path)))
		}
		if strings.HasPrefix(target, "../") {
			broken = append(broken, fmt.Sprintf("%s: %s leaves the repository", name, link))
			continue
		}
		info, err := os.Stat(filepath.Join(root, filepath.FromSlash(target)))
		if err != nil {
			if _, ok := pending[target]; ok && os.IsNotExist(err) {
				continue
			}
			broken = append(broken, fmt.Sprintf("%s: %s: %s does not exist", name, link, target))
			continue
		}
		if anchor == "" {
			continue
		}
		if info.IsDir() || !strings.HasSuffix(target, ".md") {
			broken = append(broken, fmt.Sprintf("%s: %s: an anchor into %s, which is not a Markdown file", name, link, target))
			continue
		}
		doc, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(target)))
		if err != nil {
			return nil, err
		}
		if !anchors(string(doc))[anchor] {
			broken = append(broken, fmt.Sprintf("%s: %s: %s has no heading #%s", name, link, target, anchor))
		}
	}
	return broken, nil
}

// TestDocLinks checks that every relative link of the documentation leads to
// a file of the repository, and every anchor to a heading of its document.
func TestDocLinks(t *testing.T) {
	root := filepath.Join("..", "..")
	var names []string
	for _, glob := range linkedDocs {
		matches, err := filepath.Glob(filepath.Join(root, glob))
		if err != nil {
			t.Fatal(err)
		}
		if len(matches) == 0 {
			t.Fatalf("%s matches no file", glob)
		}
		for _, m := range matches {
			rel, err := filepath.Rel(root, m)
			if err != nil {
				t.Fatal(err)
			}
			names = append(names, filepath.ToSlash(rel))
		}
	}
	links := 0
	for _, name := range names {
		src, err := os.ReadFile(filepath.Join(root, name))
		if err != nil {
			t.Fatal(err)
		}
		links += len(markdownLinks(string(src)))
		broken, err := brokenLinks(root, name, pendingLinkTargets)
		if err != nil {
			t.Fatal(err)
		}
		for _, b := range broken {
			t.Error(b)
		}
	}
	if links < 50 {
		t.Errorf("found %d links in %d documents; the link pattern no longer matches", links, len(names))
	}
}

// TestBrokenLinks shows the checker each kind of link it must accept or
// refuse, on documents written for the test.
func TestBrokenLinks(t *testing.T) {
	files := map[string]string{
		"README.md":      "# Top\n\n## `lockstep check`: flags\n\n## Again\n\n## Again\n\n```\n## not a heading\n```\n",
		"docs/a.md":      "# A\n\n<a id=\"custom\"></a>\n\n### Inputs (one per environment)\n",
		"docs/b.txt":     "text\n",
		"examples/x.rgo": "x\n",
	}
	cases := []struct {
		name, in, doc string
		want          []string
	}{
		{name: "file", doc: "[a](docs/a.md) [b](docs/b.txt) [dir](examples)"},
		{name: "relative from docs", in: "docs/c.md", doc: "[up](../README.md#top) [a](a.md#custom)"},
		{name: "out of the repository", in: "docs/c.md", doc: "[out](../../x.md)", want: []string{"leaves the repository"}},
		{name: "missing file", doc: "[x](docs/missing.md)", want: []string{"docs/missing.md does not exist"}},
		{name: "pending missing", doc: "[p](docs/perf.md)"},
		{name: "heading with code", doc: "[c](#lockstep-check-flags)"},
		{name: "repeated heading", doc: "[1](#again) [2](#again-1)"},
		{name: "third of a repeated heading", doc: "[3](#again-2)", want: []string{"has no heading #again-2"}},
		{name: "heading in a code block", doc: "[n](#not-a-heading)", want: []string{"has no heading #not-a-heading"}},
		{name: "other file's heading", doc: "[i](docs/a.md#inputs-one-per-environment) [c](docs/a.md#custom)"},
		{name: "missing anchor", doc: "[i](docs/a.md#inputs)", want: []string{"docs/a.md has no heading #inputs"}},
		{name: "anchor into a text file", doc: "[t](docs/b.txt#x)", want: []string{"not a Markdown file"}},
		{name: "external and code", doc: "[w](https://example.com/x.md) `[c](nowhere.md)`\n```\n[d](nowhere.md)\n```\n"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			root := t.TempDir()
			for name, content := range files {
				writeDoc(t, root, name, content)
			}
			name := "README.md"
			if tc.in != "" {
				name = tc.in
			}
			writeDoc(t, root, name, files["README.md"]+tc.doc+"\n")
			got, err := brokenLinks(root, name, map[string]string{"docs/perf.md": "later"})
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("got %q, want %d messages like %q", got, len(tc.want), tc.want)
			}
			for i, w := range tc.want {
				if !strings.Contains(got[i], w) {
					t.Errorf("message %d is %q, want it to contain %q", i, got[i], w)
				}
			}
		})
	}
}

func TestSlug(t *testing.T) {
	for _, tc := range []struct{ heading, want string }{
		{"Matching and comparing", "matching-and-comparing"},
		{"`lockstep check`", "lockstep-check"},
		{"Testing: `lockstep test`", "testing-lockstep-test"},
		{"`resources[]`: matched resources", "resources-matched-resources"},
		{"Sandbox: `--policy-max-memory` and `--policy-allow-net`", "sandbox---policy-max-memory-and---policy-allow-net"},
		{"Any CI: a shell step before apply", "any-ci-a-shell-step-before-apply"},
		{"`env.<name>`: one environment", "envname-one-environment"},
		{"See [the rules](rules.md)", "see-the-rules"},
	} {
		if got := slug(tc.heading); got != tc.want {
			t.Errorf("slug(%q) = %q, want %q", tc.heading, got, tc.want)
		}
	}
}

func writeDoc(t *testing.T, root, name, content string) {
	t.Helper()
	path := filepath.Join(root, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
