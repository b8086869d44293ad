package fleet_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/lockstep-iac/lockstep/evidence"
	"github.com/lockstep-iac/lockstep/internal/browser"
	"github.com/lockstep-iac/lockstep/internal/golden"
	"github.com/lockstep-iac/lockstep/report"
)

// elements parses an HTML report and counts its elements by name, and
// collects every URL-bearing attribute.
func elements(t *testing.T, page []byte) (map[string]int, []string) {
	t.Helper()
	doc, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	var urls []string
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			count[n.Data]++
			for _, a := range n.Attr {
				switch a.Key {
				case "href", "src", "srcset", "action", "formaction", "xlink:href", "poster", "data":
					urls = append(urls, a.Val)
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return count, urls
}

// TestHTMLSelfContained: the fixture's HTML report, parsed, has its
// sections and nothing a browser would fetch or run; a hostile stack name
// and message stay text.
func TestHTMLSelfContained(t *testing.T) {
	page := render(t, runFleet(t, fixtureOptions()))["html"]
	count, urls := elements(t, page)
	for _, el := range []string{"script", "link", "img", "iframe", "object", "embed", "font", "base", "form"} {
		if count[el] > 0 {
			t.Errorf("the report has %d <%s>", count[el], el)
		}
	}
	for _, u := range urls {
		if !strings.HasPrefix(u, "#") {
			t.Errorf("the report links to %q: only in-page links are allowed", u)
		}
	}
	if count["style"] != 1 || count["svg"] != 1 || count["details"] != 6 || count["table"] < 4 {
		t.Errorf("elements %v: want one style, one svg chart, 6 stacks' <details>, the tables", count)
	}

	hostile := `<script>alert(1)</script><img src=http://x/>`
	d := &evidence.Document{AsOf: "2026-12-01", Stacks: []evidence.Stack{{Name: hostile, Status: evidence.StatusParity, Environments: []string{"a", hostile},
		Findings: []evidence.Finding{{Finding: report.Finding{Rule: "r", Severity: report.SeverityError, Address: hostile, Message: hostile, Environments: []string{"a"}}}}}}}
	evidence.Finalize(d)
	page = render(t, d)["html"]
	count, urls = elements(t, page)
	if count["script"]+count["img"] > 0 || len(urls) != 1 {
		t.Errorf("a hostile stack name became markup: %v, links %q", count, urls)
	}
}

// TestHTMLInChromium opens the fixture's report in headless Chromium: no
// request but the file, no console error, the key content on screen, and
// on paper (the PDF through pdftotext). With -update it keeps the
// screenshot for the docs (docs/img/report.png).
func TestHTMLInChromium(t *testing.T) {
	chromium := browser.Find()
	if chromium == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("chromium is not installed (.ci/run installs Debian's chromium)")
		}
		t.Skip("chromium is not installed: the HTML report is not checked in a browser (apt-get install chromium)")
	}
	page := render(t, trendFixture(t))["html"]
	path := filepath.Join(t.TempDir(), "report.html")
	if err := os.WriteFile(path, page, 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	got, err := browser.Load(ctx, chromium, path)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Requests) != 1 || !strings.HasSuffix(got.Requests[0], "/report.html") {
		t.Errorf("requests %q, want the file alone", got.Requests)
	}
	if len(got.Errors) > 0 {
		t.Errorf("console errors: %q", got.Errors)
	}
	for _, want := range []string{"Parity matrix", "alpha", "charlie", "input-error", "Divergences across the fleet", "2 of 6: bravo, foxtrot",
		"Since the report of 2026-11-01: 4 new, 4 persisting, 1 resolved", "Evidence JSON sha256"} {
		if !strings.Contains(got.Text, want) {
			t.Errorf("the page does not show %q", want)
		}
	}
	if !bytes.HasPrefix(got.Screenshot, []byte("\x89PNG\r\n\x1a\n")) || len(got.Screenshot) < 10000 {
		t.Errorf("the screenshot is not a PNG of a page (%d bytes)", len(got.Screenshot))
	}
	if *golden.Update {
		if err := os.WriteFile("../docs/img/report.png", got.Screenshot, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if !bytes.HasPrefix(got.PDF, []byte("%PDF-")) {
		t.Fatalf("the print is not a PDF: %.20q", got.PDF)
	}
	pdftotext, err := exec.LookPath("pdftotext")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("pdftotext is not installed (.ci/run installs Debian's poppler-utils)")
		}
		t.Skip("pdftotext is not installed: the printed report's text is not checked (apt-get install poppler-utils)")
	}
	pdf := filepath.Join(t.TempDir(), "report.pdf")
	if err := os.WriteFile(pdf, got.PDF, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(pdftotext, "-layout", pdf, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(string(out)), " ")
	// Every stack's section is printed, folded ones too.
	if n := strings.Count(text, "database-passwords"); n != 6 {
		t.Errorf("the printed report shows the declared difference of %d stacks, want all 6", n)
	}
	for _, want := range []string{"lockstep report", "Parity matrix", "foxtrot", "bigger-production-app", "Evidence JSON sha256", "Skipped:"} {
		if !strings.Contains(text, want) {
			t.Errorf("the printed report does not say %q", want)
		}
	}
}

// trendFixture is the fixture's report as of 2026-12-01 after one as of
// 2026-11-01 in which charlie had other findings, with two older reports'
// totals: the trend chart has four points, and the page new, persisting
// and resolved findings.
func trendFixture(t *testing.T) *evidence.Document {
	t.Helper()
	opts := fixtureOptions()
	opts.AsOf = opts.AsOf.AddDate(0, -1, 0)
	prev := runFleet(t, opts)
	for i, s := range prev.Stacks {
		if s.Name == "charlie" {
			f := s.Findings[0]
			f.Address, f.ID = "terraform_data.old", "0000000000000000"
			prev.Stacks[i].Findings = []evidence.Finding{f}
		}
	}
	prev.History = append([]evidence.HistoryPoint{
		{AsOf: "2026-09-01", Stacks: 5, InParity: 1, Summary: report.Summary{Errors: 11, Warnings: 2, Waived: 1}},
		{AsOf: "2026-10-01", Stacks: 6, InParity: 1, Summary: report.Summary{Errors: 9, Warnings: 1, Waived: 2}},
	}, prev.History...)
	opts = fixtureOptions()
	opts.Previous = prev
	return runFleet(t, opts)
}
