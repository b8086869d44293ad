// SARIF output: the report as a SARIF 2.1.0 log, so `lockstep check` can be
// uploaded to GitHub code scanning (and read by any other SARIF viewer) and
// parity findings show up as alerts on the Terraform lines they are about.
//
// Why it looks the way it does (see the API brief, section 5.1):
//   - GitHub needs every result to have a location, so a finding without
//     a source position points at its environment's input file, line 1,
//     and says so in its properties ("lockstep/location": "input").
//   - GitHub tracks an alert across pushes by partialFingerprints, so the
//     fingerprint hashes what identifies the finding (rule, address,
//     environments, the versioned item or waiver) and never a line number
//     or a message, which change as the code around them changes.
//   - Waived findings are kept, with an external accepted suppression
//     naming the waiver, so the log stays the complete record and SARIF
//     viewers show them as suppressed. (GitHub code scanning does not
//     dismiss an alert from a suppression by itself; the
//     advanced-security/dismiss-alerts action does, from this field.)
//   - automationDetails.id carries the environments compared, so several
//     uploads for one commit (one per environment pair) do not replace
//     each other.
//
// Only fields of the report are printed, and no details: they only feed
// the fingerprint's hash, and the values a reader needs are in the
// message, which the report has already redacted. So nothing raw
// (details.extra, references) can reach the log.

package output

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/lockstep-iac/lockstep/internal/lazyre"
	"github.com/lockstep-iac/lockstep/report"
)

// SARIF renders the report as a SARIF 2.1.0 log for GitHub code scanning.
type SARIF struct{}

const (
	sarifInfoURI = "https://github.com/lockstep-iac/lockstep"
	// sarifSchemaURI is the official 2.1.0 schema (errata01), the one the
	// tests validate against (internal/sarifschema).
	sarifSchemaURI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
	// sarifFingerprintKey names lockstep's fingerprint; bump the version
	// when the key's recipe changes, so GitHub does not match old alerts
	// against new keys.
	sarifFingerprintKey = "lockstepFinding/v1"
	sarifSrcRoot        = "%SRCROOT%"
)

// Format writes the SARIF log. The texts a viewer shows (messages, rule
// descriptions, justifications) are escaped for display (Printable); ids,
// names and properties keep their exact value, with characters a terminal
// would act on spelled as JSON escapes (jsonSafe).
func (SARIF) Format(w io.Writer, r *report.Report) error {
	log := buildSARIF(r)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(log); err != nil {
		return fmt.Errorf("writing SARIF: %w", err)
	}
	if _, err := w.Write(jsonSafe(buf.Bytes())); err != nil {
		return fmt.Errorf("writing SARIF: %w", err)
	}
	return nil
}

func buildSARIF(r *report.Report) sarifLog {
	rules, index := sarifRules(r)
	driver := sarifDriver{
		Name:           r.Tool.Name,
		InformationURI: sarifInfoURI,
		Version:        r.Tool.Version,
		Rules:          rules,
	}
	if driver.Name == "" {
		driver.Name = "lockstep"
	}
	if v := strings.TrimPrefix(r.Tool.Version, "v"); semverRE().MatchString(v) {
		driver.SemanticVersion = v
	}
	run := sarifRun{
		Tool:        sarifTool{Driver: driver},
		Invocations: []sarifInvocation{{ExecutionSuccessful: true}},
		Results:     make([]sarifResult, 0, len(r.Findings)),
		Properties:  sarifRunProps{Summary: r.Summary},
	}
	if id := sarifCategory(r); id != "" {
		run.AutomationDetails = &sarifAutomation{ID: id}
	}
	fps := sarifFingerprints(r.Findings)
	for i, f := range r.Findings {
		res := sarifResult{
			RuleID:              f.Rule,
			RuleIndex:           index[f.Rule],
			Level:               sarifLevel(f.Severity),
			Message:             sarifText{Text: Printable(findingText(f))},
			PartialFingerprints: map[string]string{sarifFingerprintKey: fps[i]},
			Properties:          sarifResultProps{Environments: nonNil(f.Environments)},
		}
		res.Locations, res.Properties.Location = sarifLocations(r, f)
		// GitHub shows a result at its first location only. The other
		// environments' positions (a directory per environment) become
		// related locations, linked from the message so a reviewer can
		// click through to each environment's block.
		if len(res.Locations) > 1 {
			var links []string
			for j, l := range res.Locations[1:] {
				l.ID = j + 1
				res.RelatedLocations = append(res.RelatedLocations, l)
				label := fmt.Sprintf("location %d", j+2)
				if l.Message != nil && l.Message.Text != "" {
					label = l.Message.Text
				}
				links = append(links, fmt.Sprintf("[%s](%d)", sarifLinkText(label), l.ID))
			}
			res.Locations = res.Locations[:1]
			res.Message.Text += " (also in " + strings.Join(links, ", ") + ")"
		}
		// Each finding folded into this one, a line each: code scanning
		// shows the message whole, and a waiver of it covers them too.
		for _, rel := range f.Details.Related {
			res.Message.Text += "\n" + Printable(relatedText(rel))
		}
		if f.Waived {
			res.Suppressions = []sarifSupp{{Kind: "external", Status: "accepted", Justification: Printable(waiverJustification(f.Waiver))}}
		}
		run.Results = append(run.Results, res)
	}
	return sarifLog{Schema: sarifSchemaURI, Version: "2.1.0", Runs: []sarifRun{run}}
}

// semverRE is Semantic Versioning 2.0's grammar, which SARIF requires of
// semanticVersion; a development build's version ("dev") is left out.
var semverRE = lazyre.New(`^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$`)

// sarifRules is the driver's rule table: every evaluated rule, plus a
// minimal entry for a rule that only appears in findings, sorted by id;
// index maps an id to its position, for results' ruleIndex.
func sarifRules(r *report.Report) ([]sarifRule, map[string]int) {
	groups := r.ByRule()
	rules := make([]sarifRule, len(groups))
	index := make(map[string]int, len(groups))
	for i, g := range groups {
		rule := g.Rule
		if rule.Severity == "" && len(g.Findings) > 0 {
			// Defensive: the engine lists every rule it evaluated, but a
			// report built elsewhere may not.
			rule.Severity = g.Findings[0].Severity
		}
		rules[i] = sarifRuleFor(rule)
		index[rule.ID] = i
	}
	return rules, index
}

func sarifRuleFor(rule report.Rule) sarifRule {
	title := firstNonEmpty(rule.Title, "lockstep rule "+rule.ID)
	full := firstNonEmpty(rule.Description, title)
	help := firstNonEmpty(rule.Remediation, rule.Description, title)
	var md strings.Builder
	fmt.Fprintf(&md, "**%s**", title)
	if rule.Description != "" {
		fmt.Fprintf(&md, "\n\n%s", rule.Description)
	}
	if rule.Remediation != "" {
		fmt.Fprintf(&md, "\n\n**Remediation:** %s", rule.Remediation)
	}
	if rule.HelpURI != "" {
		fmt.Fprintf(&md, "\n\n[Documentation of %s](%s)", rule.ID, rule.HelpURI)
	}
	tags := []string{"parity", "terraform"}
	if !rule.Builtin {
		tags = append(tags, "user-rule")
	}
	return sarifRule{
		ID:                   rule.ID,
		Name:                 sarifRuleName(rule.ID),
		ShortDescription:     sarifText{Text: Printable(title)},
		FullDescription:      sarifText{Text: Printable(full)},
		Help:                 sarifMultiText{Text: Printable(help), Markdown: Printable(md.String())},
		HelpURI:              rule.HelpURI,
		DefaultConfiguration: sarifRuleConf{Level: sarifLevel(rule.Severity)},
		Properties:           sarifRuleProps{Tags: tags, Precision: "high"},
	}
}

// sarifRuleName derives a PascalCase name from a rule id ("missing-resource"
// becomes "MissingResource"). SARIF1001 flags a name equal to the id, so an
// id that is already PascalCase gets "Rule" appended.
func sarifRuleName(id string) string {
	var b strings.Builder
	for _, part := range strings.FieldsFunc(id, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}) {
		first, size := utf8.DecodeRuneInString(part)
		b.WriteRune(unicode.ToUpper(first))
		b.WriteString(part[size:])
	}
	name := b.String()
	if name == "" || name == id {
		name += "Rule"
	}
	return name
}

// sarifLevel maps a lockstep severity to a SARIF level.
func sarifLevel(severity report.Severity) string {
	if severity == report.SeverityError {
		return "error"
	}
	return "warning"
}

// findingText is a finding's message, prefixed by its address when it has one.
func findingText(f report.Finding) string {
	if f.Address == "" {
		return f.Message
	}
	if f.Message == "" {
		return f.Address
	}
	return f.Address + ": " + f.Message
}

// waiverJustification says which waiver suppressed a finding, and why.
func waiverJustification(w *report.Waiver) string {
	if w == nil {
		return "waived"
	}
	return fmt.Sprintf("%s (owner %s, until %s, waiver %s)", firstNonEmpty(w.Reason, "waived"), w.Owner, w.Expires, w.Name)
}

// sarifCategory is automationDetails.id: "lockstep/staging-production/",
// a category (the trailing slash leaves the run id empty) naming the
// environments compared, so uploads for different pairs do not clash.
func sarifCategory(r *report.Report) string {
	names := make([]string, 0, len(r.Environments))
	for _, e := range r.Environments {
		names = append(names, strings.ReplaceAll(e.Name, "/", "_"))
	}
	if len(names) == 0 {
		return ""
	}
	return "lockstep/" + strings.Join(names, "-") + "/"
}

// sarifLocations turns a finding's source positions into SARIF locations:
// one per entry of Locations (the first is the one GitHub shows), else its
// Location, else its environment's input file at line 1, in which case the
// second result is "input". A finding with none of them (no input file
// known) gets no physical location.
func sarifLocations(r *report.Report, f report.Finding) ([]sarifLocation, string) {
	var logical []sarifLogical
	if f.Address != "" {
		logical = []sarifLogical{{FullyQualifiedName: f.Address, Kind: "resource"}}
	}
	var out []sarifLocation
	for _, l := range f.Positions() {
		loc := sarifLocation{PhysicalLocation: sarifPhysicalFor(l.File, l.Line, l.Column, l.EndLine), LogicalLocations: logical}
		if len(l.Environments) > 0 {
			loc.Message = &sarifText{Text: Printable(strings.Join(l.Environments, ", "))}
		}
		if l.Variable != "" {
			// Where the environments set the value: say so in the link.
			loc.Message = &sarifText{Text: Printable("var." + l.Variable + " in " + strings.Join(l.Environments, ", "))}
		}
		out = append(out, loc)
	}
	if len(out) > 0 {
		return out, ""
	}
	if env, ok := inputEnvironment(r, f); ok {
		return []sarifLocation{{
			PhysicalLocation: sarifPhysicalFor(env.Source, 1, 0, 0),
			LogicalLocations: logical,
			Message:          &sarifText{Text: "no source position known: " + Printable(env.Name) + "'s input file"},
		}}, "input"
	}
	if logical != nil {
		return []sarifLocation{{LogicalLocations: logical}}, ""
	}
	return nil, ""
}

// inputEnvironment is the finding's first environment, or the report's
// first, with the input file it was read from.
func inputEnvironment(r *report.Report, f report.Finding) (report.Environment, bool) {
	if len(f.Environments) > 0 {
		for _, e := range r.Environments {
			if e.Name == f.Environments[0] && e.Source != "" {
				return e, true
			}
		}
	}
	for _, e := range r.Environments {
		if e.Source != "" {
			return e, true
		}
	}
	return report.Environment{}, false
}

func sarifPhysicalFor(file string, line, col, endLine int) *sarifPhysical {
	p := &sarifPhysical{ArtifactLocation: sarifArtifactFor(file)}
	if line > 0 {
		p.Region = &sarifRegion{StartLine: line}
		if col > 0 {
			p.Region.StartColumn = col
		}
		if endLine >= line {
			p.Region.EndLine = endLine
		}
	}
	return p
}

// sarifArtifactFor makes a file path a URI: relative paths (the usual case,
// lockstep running at the repository root) are relative to %SRCROOT% with
// forward slashes, as GitHub wants; absolute ones become file URIs.
func sarifArtifactFor(file string) sarifArtifact {
	slashed := strings.ReplaceAll(filepath.ToSlash(file), `\`, "/")
	if drive := len(slashed) >= 3 && slashed[1] == ':' && slashed[2] == '/' && unicode.IsLetter(rune(slashed[0])); drive || strings.HasPrefix(slashed, "/") {
		if drive {
			slashed = "/" + slashed
		}
		return sarifArtifact{URI: (&url.URL{Scheme: "file", Path: slashed}).String()}
	}
	// url.URL escapes spaces and other characters a URI cannot hold, and
	// guards a colon in the first segment with "./".
	return sarifArtifact{URI: (&url.URL{Path: strings.TrimPrefix(slashed, "./")}).String(), URIBaseID: sarifSrcRoot}
}

// sarifFingerprints computes each finding's partial fingerprint: the hex
// SHA-256 of rule, address, sorted environments and a discriminator (the
// versioned item of a version-skew finding, the waiver of a waiver
// finding), cut to 32 characters. Line numbers and messages stay out, so
// an alert keeps its identity when code moves or values change. Findings
// that still share a key (a user rule reporting one address several
// times) are told apart, in report order, by their message, then by a
// counter.
func sarifFingerprints(fs []report.Finding) []string {
	out := make([]string, len(fs))
	seen := map[string]bool{}
	for i, f := range fs {
		key := fingerprintKey(f)
		if seen[key] {
			key += "\x00" + f.Message
			for n := 2; seen[key]; n++ {
				key = fmt.Sprintf("%s\x00%s\x00#%d", fingerprintKey(f), f.Message, n)
			}
		}
		seen[key] = true
		sum := sha256.Sum256([]byte(key))
		out[i] = hex.EncodeToString(sum[:])[:32]
	}
	return out
}

func fingerprintKey(f report.Finding) string {
	envs := append([]string(nil), f.Environments...)
	sort.Strings(envs)
	disc := ""
	switch {
	case f.Details.Version != nil:
		disc = f.Details.Version.Kind + "/" + f.Details.Version.Name
	case f.Details.Waiver != nil:
		disc = f.Details.Waiver.Name
	}
	return f.Rule + "\x00" + f.Address + "\x00" + strings.Join(envs, ",") + "\x00" + disc
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

func nonNil(ss []string) []string {
	if ss == nil {
		return []string{}
	}
	return ss
}

// sarifLinkText escapes what SARIF's embedded-link syntax reserves in a
// link's text.
func sarifLinkText(s string) string {
	return strings.NewReplacer(`\`, `\\`, "[", `\[`, "]", `\]`).Replace(s)
}
