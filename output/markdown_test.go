package output

import (
	"bytes"
	"strings"
	"testing"

	"github.com/lockstep-iac/lockstep/internal/golden"
	"github.com/lockstep-iac/lockstep/report"
	"github.com/yuin/goldmark"
	gast "github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
)

// realisticRules are the built-in rules' metadata as a run reports them,
// plus a user rule whose title and help URI are hostile.
func realisticRules() []report.Rule {
	uri := func(id string) string {
		return "https://github.com/lockstep-iac/lockstep/blob/main/docs/rules.md#" + id
	}
	return []report.Rule{
		{ID: "attribute-divergence", Title: "Attribute differs between environments", Severity: "error", Builtin: true, HelpURI: uri("attribute-divergence"),
			Description: "A matched resource's attribute already differs between the environments'\ncurrent states, is not declared with expect_difference, and no plan\ntouches it.",
			Remediation: "Converge the environments (apply the change that is missing), or declare\nthe difference with an expect_difference block in lockstep.hcl."},
		{ID: "cross-env-reference", Title: "Value points at another environment's resource", Severity: "error", Builtin: true, HelpURI: uri("cross-env-reference"),
			Remediation: "Point the setting at the environment's own object."},
		{ID: "expired-waiver", Title: "Waiver expired or stale", Severity: "error", Builtin: true, HelpURI: uri("expired-waiver"),
			Remediation: "Fix what the waiver excused, or agree a new expires date with its owner."},
		{ID: "main.deny_public_bucket", Title: "Public <b>buckets</b> & more", Severity: "warning", HelpURI: "javascript:alert(1)",
			Remediation: "Make it private:\n\n<script>alert(1)</script>"},
		{ID: "missing-resource", Title: "Resource missing from an environment", Severity: "error", Builtin: true, HelpURI: uri("missing-resource"),
			Remediation: "Apply the resource to the environments that lack it."},
		{ID: "one-sided-change", Title: "Plan changes one environment only", Severity: "error", Builtin: true, HelpURI: uri("one-sided-change"),
			Remediation: "Make the same change in every environment's configuration."},
		{ID: "out-of-band-drift", Title: "Resource changed outside Terraform", Severity: "warning", Builtin: true, HelpURI: uri("out-of-band-drift"),
			Remediation: "Find out who changed it and why."},
		{ID: "promotion-order", Title: "Change skips the promotion order", Severity: "error", Builtin: true, HelpURI: uri("promotion-order"),
			Remediation: "Apply the change to the previous environment first."},
		{ID: "shared-secret", Title: "Same secret in two environments", Severity: "error", Builtin: true, HelpURI: uri("shared-secret"),
			Remediation: "Give each environment its own secret and rotate the one that was shared."},
		{ID: "version-skew", Title: "Environments built with different versions", Severity: "warning", Builtin: true, HelpURI: uri("version-skew"),
			Remediation: "Plan every environment from the same commit with the same Terraform version."},
	}
}

const hostileAddress = `module.net["eu.west"].terraform_data.x[0]`

// realistic is a report shaped like the scenarios' (see testdata/scenarios),
// every kind of finding once, with values that try to break out of a table
// cell, a code span, an HTML block or a workflow command.
func realistic() *report.Report {
	both := []string{"staging", "production"}
	r := &report.Report{
		Version: report.SchemaVersion,
		Tool:    report.Tool{Name: "lockstep", Version: "0.1.0"},
		Environments: []report.Environment{
			{Name: "staging", Source: "plans/staging.json", Kind: "plan", TerraformVersion: "1.11.4", SHA256: "d8e8"},
			{Name: "production", Source: "plans/production.json", Kind: "plan", TerraformVersion: "1.5.5", SHA256: "05b2"},
		},
		Rules: realisticRules(),
		Findings: []report.Finding{
			{Rule: "attribute-divergence", Severity: "error", Address: hostileAddress, Environments: both,
				Message: "input.description differs: staging \"a|b\\nc\", production \"100% done, ok: yes\" (and 3 more attributes)",
				Details: report.Details{
					Attributes: []report.AttributeDetail{
						{Path: "input.description", Values: map[string]any{"staging": "a|b\nc <script>alert(1)</script>", "production": "100% done, ok: yes"}},
						{Path: "input.tags", Values: map[string]any{"staging": map[string]any{"Env": "staging", "Owner": "team`x`"}, "production": map[string]any{"Env": "production"}}},
						{Path: "input.replicas", Values: map[string]any{"staging": 3, "production": 2}},
						{Path: "input.name", Values: map[string]any{"staging": "héllo ünïcode ✓ 🚀"}},
					},
					Addresses: map[string]string{"staging": hostileAddress, "production": hostileAddress},
				},
				Location: &report.Location{File: "envs/staging/main.tf", Line: 12, Column: 3, EndLine: 20, Attribute: "input", Environments: []string{"staging"}},
				Locations: []report.Location{
					{File: "envs/staging/main.tf", Line: 12, Column: 3, EndLine: 20, Attribute: "input", Environments: []string{"staging"}},
					{File: "envs/production/main.tf", Line: 14, Column: 3, EndLine: 22, Attribute: "input", Environments: []string{"production"}},
				}},
			{Rule: "missing-resource", Severity: "error", Address: "terraform_data.feature_flag[0]", Environments: both,
				Message:   "exists in staging but not in production",
				Details:   report.Details{Present: []string{"staging"}, Missing: []string{"production"}, Addresses: map[string]string{"staging": "terraform_data.feature_flag_staging[0]"}},
				Location:  &report.Location{File: "main.tf", Line: 40, EndLine: 44, Environments: both},
				Locations: []report.Location{{File: "main.tf", Line: 40, EndLine: 44, Environments: both}}},
			{Rule: "one-sided-change", Severity: "error", Address: "terraform_data.db", Environments: both,
				Message: "staging's plan changes input.engine_version (staging 15.4, production 14.9); production's plan does not",
				Details: report.Details{
					Attributes: []report.AttributeDetail{{Path: "input.engine_version",
						Values: map[string]any{"staging": "15.4", "production": "14.9"},
						Before: map[string]any{"staging": "14.9", "production": "14.9"}}},
					Actions: map[string][]string{"staging": {"update"}, "production": {"no-op"}},
				}},
			{Rule: "one-sided-change", Severity: "error", Address: `terraform_data.svc["worker"]`, Environments: both,
				Message: "staging's plan creates it; production's plan does not",
				Details: report.Details{Present: []string{"staging"}, Missing: []string{"production"},
					Actions: map[string][]string{"staging": {"create"}, "production": {}}}},
			{Rule: "promotion-order", Severity: "error", Address: "terraform_data.db", Environments: both,
				Message: "production's plan sets input.engine_version to 15.4, but staging has 14.9: apply it to staging first",
				Details: report.Details{
					Attributes: []report.AttributeDetail{{Path: "input.engine_version",
						Values: map[string]any{"production": "15.4"}, Before: map[string]any{"staging": "14.9"}}},
					Actions: map[string][]string{"production": {"update"}},
				}},
			{Rule: "cross-env-reference", Severity: "error", Address: "terraform_data.app[0]", Environments: both,
				Message: `production's input.network_id is "15f3adcf-22ea-8c7a-f644-5b26629979a3", the id of staging's terraform_data.network`,
				Details: report.Details{References: []report.Reference{{Env: "production", Path: "input.network_id", Value: "15f3adcf-22ea-8c7a-f644-5b26629979a3",
					Owner: report.Owner{Env: "staging", Address: "terraform_data.network", Attribute: "id"}}}}},
			{Rule: "version-skew", Severity: "warning", Environments: both,
				Message: "Terraform version differs: staging 1.11.4, production 1.5.5",
				Details: report.Details{Version: &report.VersionDetail{Kind: "terraform", Name: "terraform", Values: map[string]string{"staging": "1.11.4", "production": "1.5.5"}}}},
			{Rule: "version-skew", Severity: "warning", Environments: both,
				Message: "provider registry.terraform.io/hashicorp/null version differs: staging 3.2.4, production 3.2.3",
				Details: report.Details{Version: &report.VersionDetail{Kind: "provider", Name: "registry.terraform.io/hashicorp/null",
					Values:  map[string]string{"staging": "3.2.4", "production": "3.2.3"},
					Sources: map[string]string{"staging": "envs/staging/.terraform.lock.hcl", "production": "envs/production/.terraform.lock.hcl"}}}},
			{Rule: "version-skew", Severity: "warning", Environments: both,
				Message: "module.app version differs: staging ~> 2.0, production is not locked",
				Details: report.Details{Version: &report.VersionDetail{Kind: "module-version", Name: "module.app",
					Values: map[string]string{"staging": "~> 2.0"}, Missing: []string{"production"}}}},
			{Rule: "shared-secret", Severity: "error", Address: "terraform_data.db", Environments: both,
				Message: "staging and production use the same sensitive value at input.password (and 1 more attribute)",
				Details: report.Details{Attributes: []report.AttributeDetail{
					{Path: "input.password", Values: map[string]any{"staging": "(sensitive)", "production": "(sensitive)"}},
					{Path: "output.password", Values: map[string]any{"staging": "(sensitive)", "production": "(sensitive)"}},
				}}},
			{Rule: "out-of-band-drift", Severity: "warning", Address: "terraform_data.worker[1]", Environments: []string{"production"},
				Message: "changed outside Terraform in production: input.password was (sensitive), is now (sensitive) (and 1 more attribute)",
				Details: report.Details{Attributes: []report.AttributeDetail{
					{Path: "input.password", Values: map[string]any{"production": "(sensitive)"}, Before: map[string]any{"production": "(sensitive)"}},
					{Path: "input.monitoring", Values: map[string]any{"production": true}, Before: map[string]any{"production": false}},
				}}},
			{Rule: "out-of-band-drift", Severity: "warning", Address: "terraform_data.worker[2]", Environments: []string{"staging"},
				Message: "deleted outside Terraform in staging",
				Details: report.Details{Actions: map[string][]string{"staging": {"delete"}}}},
			{Rule: "expired-waiver", Severity: "error", Environments: []string{},
				Message: `waiver "feature-flag-rollout" (rule missing-resource, owner team-web) expired on 2026-10-31 and suppresses nothing; it would cover 1 finding`,
				Details: report.Details{Waiver: &report.WaiverDetail{Name: "feature-flag-rollout", Rule: "missing-resource", Resources: []string{"terraform_data.feature_flag[*]"},
					Owner: "team-web", Reason: "feature flag tried in staging before production", Expires: "2026-10-31", Expired: true, Matched: 1}},
				Location: &report.Location{File: "lockstep.hcl", Line: 15}},
			{Rule: "attribute-divergence", Severity: "error", Address: "terraform_data.cache", Environments: both,
				Message: "input.size differs: staging small, production large", Waived: true,
				Waiver: &report.Waiver{Name: "cache-size", Owner: "team-data", Expires: "2027-06-30",
					Reason: "sizing | differs\nby design <img src=x onerror=alert(1)>"},
				Details: report.Details{Attributes: []report.AttributeDetail{{Path: "input.size", Values: map[string]any{"staging": "small", "production": "large"}}}}},
			{Rule: "main.deny_public_bucket", Severity: "warning", Address: "aws_s3_bucket.logs", Environments: []string{"production"},
				Message: "bucket `logs|prod` is public:\nsee <a href=x>docs</a> & fix [here](javascript:alert(1)) @team",
				Details: report.Details{Extra: map[string]any{"acl": "public-read", "note": "<b>x</b>"}}},
		},
	}
	r.Sort()
	r.Summarize()
	return r
}

// parity is a clean run.
func parity() *report.Report {
	return &report.Report{Version: report.SchemaVersion, Tool: report.Tool{Name: "lockstep", Version: "0.1.0"},
		Environments: []report.Environment{{Name: "staging", Kind: "state", TerraformVersion: "1.11.4"}, {Name: "production", Kind: "state", TerraformVersion: "1.11.4"}},
		Findings:     []report.Finding{}, Rules: realisticRules()}
}

// waivedOnly has nothing left to fix.
func waivedOnly() *report.Report {
	r := realistic()
	var fs []report.Finding
	for _, f := range r.Findings {
		if f.Waived {
			fs = append(fs, f)
		}
	}
	r.Findings = fs
	r.Summarize()
	return r
}

func TestMarkdownGolden(t *testing.T) {
	for _, tc := range []struct {
		name string
		r    *report.Report
	}{
		{"realistic", realistic()},
		{"parity", parity()},
		{"waived-only", waivedOnly()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := string(render(t, Markdown{}, tc.r))
			golden.Assert(t, "markdown/"+tc.name+".md", []byte(out))
			if !strings.HasSuffix(out, "\n") {
				t.Error("no trailing newline")
			}
		})
	}
}

func TestMarkdownVerdict(t *testing.T) {
	for _, tc := range []struct {
		name string
		r    *report.Report
		want string
	}{
		{"errors", realistic(), "### ❌ lockstep: 8 errors, 6 warnings, 1 waived across staging → production"},
		{"parity", parity(), "### ✅ lockstep: staging, production are in parity"},
		{"waived only", waivedOnly(), "### ✅ lockstep: 0 errors, 0 warnings, 1 waived across staging → production"},
		{"warnings only", &report.Report{Environments: []report.Environment{{Name: "a"}, {Name: "b"}},
			Findings: []report.Finding{{Rule: "version-skew", Severity: "warning", Message: "x"}},
			Summary:  report.Summary{Warnings: 1}}, "### ⚠️ lockstep: 0 errors, 1 warning, 0 waived across a → b"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := string(render(t, Markdown{}, tc.r))
			if line, _, _ := strings.Cut(out, "\n"); line != tc.want {
				t.Errorf("verdict %q, want %q", line, tc.want)
			}
		})
	}
}

// findingRows is how many table rows a finding should get: one per
// attribute or reference, else one.
func findingRows(f report.Finding) int {
	switch {
	case len(f.Details.Attributes) > 0:
		return len(f.Details.Attributes)
	case len(f.Details.References) > 0:
		return len(f.Details.References)
	}
	return 1
}

var gfm = goldmark.New(goldmark.WithExtensions(extension.GFM), goldmark.WithRendererOptions(html.WithUnsafe()))

// unescapedPipes counts the "|" that GFM splits a table row at.
func unescapedPipes(line string) int {
	n, backslashes := 0, 0
	for _, c := range line {
		switch c {
		case '\\':
			backslashes++
			continue
		case '|':
			if backslashes%2 == 0 {
				n++
			}
		}
		backslashes = 0
	}
	return n
}

// TestMarkdownRendersSafely renders the realistic report as GitHub would
// (GFM, raw HTML allowed, so leaked markup would show) and checks the
// table's shape, that no markup from finding data survives, and the
// details blocks. It also writes the rendered HTML as a preview.
func TestMarkdownRendersSafely(t *testing.T) {
	r := realistic()
	src := []byte(string(render(t, Markdown{}, r)))
	cols := 3 + len(r.Environments)

	wantRows := 0
	rules := map[string]bool{}
	for _, f := range r.Findings {
		wantRows += findingRows(f)
		rules[f.Rule] = true
	}

	doc := gfm.Parser().Parse(text.NewReader(src))
	var tables []*east.Table
	gast.Walk(doc, func(n gast.Node, entering bool) (gast.WalkStatus, error) {
		if tbl, ok := n.(*east.Table); ok && entering {
			tables = append(tables, tbl)
		}
		return gast.WalkContinue, nil
	})
	if len(tables) != 1 {
		t.Fatalf("%d tables, want 1", len(tables))
	}
	rows := 0
	for n := tables[0].FirstChild(); n != nil; n = n.NextSibling() {
		if n.ChildCount() != cols {
			t.Errorf("a row has %d cells, want %d", n.ChildCount(), cols)
		}
		if _, ok := n.(*east.TableRow); ok {
			rows++
		}
	}
	if rows != wantRows {
		t.Errorf("table has %d rows, want %d (one per finding and attribute)", rows, wantRows)
	}
	// GFM pads or drops cells to the header's count, so count the raw
	// separators too: a "|" in a value must not add a cell.
	tableLines := 0
	for _, line := range strings.Split(string(src), "\n") {
		if strings.HasPrefix(line, "|") {
			tableLines++
			if got := unescapedPipes(line); got != cols+1 {
				t.Errorf("%d cell separators, want %d: %s", got, cols+1, line)
			}
		}
	}
	if tableLines != wantRows+2 {
		t.Errorf("%d table lines, want %d", tableLines, wantRows+2)
	}

	var buf bytes.Buffer
	if err := gfm.Renderer().Render(&buf, src, doc); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	lower := strings.ToLower(out)
	for _, bad := range []string{"<script", "<img", "<b>", `<a href="x"`, `href="javascript`} {
		if strings.Contains(lower, bad) {
			t.Errorf("rendered HTML contains %q", bad)
		}
	}
	for _, want := range []string{
		"<code>a|b<br>c &lt;script&gt;alert(1)&lt;/script&gt;</code>", // a value, whole, in its cell
		"<code>100% done, ok: yes</code>",
		"<code>{&quot;Env&quot;:&quot;staging&quot;,&quot;Owner&quot;:&quot;team`x`&quot;}</code>",
		"<code>héllo ünïcode ✓ 🚀</code>",
		"<code>14.9</code> → <code>15.4</code>",
		"→ <code>15.4</code>",
		"<td>(sensitive)</td>",
		"<code>" + strings.ReplaceAll(hostileAddress, `"`, "&quot;") + "</code>",
		"staging: <code>envs/staging/main.tf:12</code>",
		"bucket `logs|prod` is public:<br>see &lt;a href=x&gt;docs&lt;/a&gt; &amp; fix [here](javascript:alert(1)) @team",
		"Public &lt;b&gt;buckets&lt;/b&gt; &amp; more",
		`<a href="https://github.com/lockstep-iac/lockstep/blob/main/docs/rules.md#attribute-divergence">`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("rendered HTML lacks %q", want)
		}
	}
	if got := strings.Count(out, "<details>"); got != len(rules) {
		t.Errorf("%d <details> blocks, want one per rule (%d)", got, len(rules))
	}
	if got := strings.Count(out, "</details>"); got != len(rules) {
		t.Errorf("%d </details>, want %d", got, len(rules))
	}
	preview := "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>lockstep markdown preview</title>\n" +
		"<style>body{font-family:sans-serif;max-width:70em;margin:2em auto}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;vertical-align:top}code{background:#f3f3f3}</style>\n" +
		"</head><body>\n<!-- Generated by TestMarkdownRendersSafely from the realistic report (go test ./output -run TestMarkdownRendersSafely -update). -->\n" +
		out + "</body></html>\n"
	golden.AssertFile(t, "testdata/markdown-preview.html", []byte(preview), "go test ./output -run TestMarkdownRendersSafely -update")
}

func TestMarkdownSensitive(t *testing.T) {
	out := string(render(t, Markdown{}, realistic()))
	if !strings.Contains(out, "| `input.password` | (sensitive) | (sensitive) |") {
		t.Errorf("shared-secret row does not show (sensitive):\n%s", out)
	}
	if !strings.Contains(out, "(sensitive) → (sensitive)") {
		t.Error("a changed sensitive value must keep its arrow")
	}
}

func TestMarkdownDeterministic(t *testing.T) {
	first := string(render(t, Markdown{}, realistic()))
	for range 5 {
		if out := string(render(t, Markdown{}, realistic())); out != first {
			t.Fatal("output differs between runs")
		}
	}
}

func TestMarkdownEscaping(t *testing.T) {
	for _, tc := range []struct {
		name, in, code, text string
	}{
		{"plain", "terraform_data.db", "`terraform_data.db`", `terraform\_data.db`},
		{"pipe", "a|b", `<code>a\|b</code>`, `a\|b`},
		{"newline", "a\nb", "<code>a<br>b</code>", "a<br>b"},
		// A carriage return is a control character: shown, never obeyed
		// (a lone one would overwrite the line in a terminal).
		{"carriage return", "a\r\nb\rc", `<code>a\\x0d<br>b\\x0dc</code>`, `a\\x0d<br>b\\x0dc`},
		{"escape sequence", "a\x1b[2Jb", "`a\\x1b[2Jb`", `a\\x1b\[2Jb`},
		{"bidi override", "abc\u202edcba", "`abc\\u202edcba`", `abc\\u202edcba`},
		{"backslash x", `C:\xavier`, "`C:\\\\xavier`", `C:\\\\xavier`},
		{"html", "<script>x</script> & y", "<code>&lt;script&gt;x&lt;/script&gt; &amp; y</code>", "&lt;script&gt;x&lt;/script&gt; &amp; y"},
		{"backtick", "a`b", "``a`b``", "a\\`b"},
		{"backticks at ends", "`a``", "``` `a`` ```", "\\`a\\`\\`"},
		{"spaces at ends", " a ", "`  a  `", " a "},
		{"empty", "", "`\"\"`", ""},
		{"link", "[x](javascript:y)", "`[x](javascript:y)`", `\[x\](javascript:y)`},
		{"emphasis and math", "*a* _b_ ~c~ $d$ #e", "`*a* _b_ ~c~ $d$ #e`", `\*a\* \_b\_ \~c\~ \$d\$ \#e`},
		{"backslash", `a\|b`, `<code>a\\\|b</code>`, `a\\\|b`},
		{"unicode", "ünï ✓ 🚀", "`ünï ✓ 🚀`", "ünï ✓ 🚀"},
		{"percent comma colon", "100%, a:b", "`100%, a:b`", "100%, a:b"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := mdCode(tc.in); got != tc.code {
				t.Errorf("mdCode(%q) = %q, want %q", tc.in, got, tc.code)
			}
			if got := mdText(tc.in); got != tc.text {
				t.Errorf("mdText(%q) = %q, want %q", tc.in, got, tc.text)
			}
		})
	}
	// Each rendered alone in a table cell, every value stays one cell
	// holding exactly the input.
	for _, in := range []string{"a|b", "a\nb", "a`b", "`a``", " a ", `a\|b`, "x | `y|z` |", "<i>x</i>"} {
		src := "| h |\n|---|\n| " + mdCode(in) + " |\n"
		var buf bytes.Buffer
		if err := gfm.Convert([]byte(src), &buf); err != nil {
			t.Fatal(err)
		}
		wantCell := strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", "\n", "<br>").Replace(in)
		if !strings.Contains(buf.String(), "<td><code>"+wantCell+"</code></td>") {
			t.Errorf("%q renders as %s", in, buf.String())
		}
	}
}

func TestMarkdownLink(t *testing.T) {
	for in, want := range map[string]string{
		"https://example.com/docs#rule":    "https://example.com/docs#rule",
		"https://example.com/a (b)":        "https://example.com/a%20%28b%29",
		"javascript:alert(1)":              "",
		"docs/rules.md":                    "",
		"http://x/<script>":                "http://x/%3Cscript%3E",
		"  https://example.com/trimmed   ": "https://example.com/trimmed",
	} {
		if got := mdLink(in); got != want {
			t.Errorf("mdLink(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestFormatsRegistered(t *testing.T) {
	for _, name := range []string{"markdown", "github"} {
		if _, err := Lookup(name); err != nil {
			t.Error(err)
		}
	}
}
