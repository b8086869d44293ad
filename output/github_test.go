package output

import (
	"bytes"
	"strings"
	"testing"

	"github.com/lockstep-iac/lockstep/internal/golden"
	"github.com/lockstep-iac/lockstep/report"
)

func TestGitHubGolden(t *testing.T) {
	for _, tc := range []struct {
		name string
		r    *report.Report
	}{
		{"realistic", realistic()},
		{"parity", parity()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			golden.Assert(t, "github/"+tc.name+".txt", []byte(string(render(t, GitHub{}, tc.r))))
		})
	}
}

// TestGitHubOneLinePerAnnotation checks that no finding data can end a
// command early or start one of its own: every line but the verdict is one
// annotation, one per finding and location.
func TestGitHubOneLinePerAnnotation(t *testing.T) {
	r := realistic()
	out := string(render(t, GitHub{}, r))
	want := 0
	for _, f := range r.Findings {
		want += max(1, len(f.Positions()))
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != want+1 {
		t.Fatalf("%d lines, want %d annotations and a verdict:\n%s", len(lines), want, out)
	}
	for _, l := range lines[:want] {
		if !strings.HasPrefix(l, "::error ") && !strings.HasPrefix(l, "::warning ") && !strings.HasPrefix(l, "::notice ") {
			t.Errorf("not an annotation: %q", l)
		}
		// Properties end at the first "::" after the command.
		props, _, ok := strings.Cut(strings.SplitN(l, " ", 2)[1], "::")
		if !ok {
			t.Errorf("no message separator: %q", l)
		}
		for _, p := range strings.Split(props, ",") {
			if k, _, ok := strings.Cut(p, "="); !ok || strings.ContainsAny(k, " %") {
				t.Errorf("broken property %q in %q", p, l)
			}
		}
	}
	if last := lines[want]; last != "lockstep: 8 errors, 6 warnings, 1 waived across staging, production" {
		t.Errorf("verdict %q", last)
	}
}

func TestGitHubAnnotations(t *testing.T) {
	r := realistic()
	out := string(render(t, GitHub{}, r))
	for _, tc := range []struct {
		name string
		want string
	}{
		{"multi-location, staging",
			"::error file=envs/staging/main.tf,line=12,endLine=20,col=3,title=attribute-divergence%3A Attribute differs between environments (staging)::" + hostileAddress + ": input.description differs"},
		{"multi-location, production",
			"::error file=envs/production/main.tf,line=14,endLine=22,col=3,title=attribute-divergence%3A Attribute differs between environments (production)::" + hostileAddress + ": input.description differs"},
		{"one location shared by both environments: no environment in the title",
			"::error file=main.tf,line=40,endLine=44,title=missing-resource%3A Resource missing from an environment::terraform_data.feature_flag[0]: exists in staging but not in production\n"},
		{"no location, no address",
			"::warning title=version-skew%3A Environments built with different versions::Terraform version differs: staging 1.11.4, production 1.5.5\n"},
		{"waived: notice",
			"::notice title=attribute-divergence%3A Attribute differs between environments::terraform_data.cache: input.size differs: staging small, production large (waived by cache-size, owner team-data, expires 2027-06-30: sizing | differs%0Aby design <img src=x onerror=alert(1)>)\n"},
		{"lockstep.hcl location",
			"::error file=lockstep.hcl,line=15,title=expired-waiver%3A Waiver expired or stale::waiver \"feature-flag-rollout\""},
		{"user rule: data escaped",
			"::warning title=main.deny_public_bucket%3A Public <b>buckets</b> & more::aws_s3_bucket.logs: bucket `logs|prod` is public:%0Asee <a href=x>docs</a> & fix [here](javascript:alert(1)) @team\n"},
		{"percent in message",
			"%25"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if !strings.Contains(out, tc.want) {
				t.Errorf("output lacks %q:\n%s", tc.want, out)
			}
		})
	}
	if n := strings.Count(out, "title=attribute-divergence%3A Attribute differs between environments ("); n != 2 {
		t.Errorf("the two-location finding gave %d annotations, want 2", n)
	}
}

func TestGitHubEscaping(t *testing.T) {
	for _, tc := range []struct {
		in, data, property string
	}{
		{"plain", "plain", "plain"},
		{"100%", "100%25", "100%25"},
		{"a\nb", "a%0Ab", "a%0Ab"},
		{"a\r\nb", "a%0D%0Ab", "a%0D%0Ab"},
		{"rule: title", "rule: title", "rule%3A title"},
		{"a,b", "a,b", "a%2Cb"},
		{"%0A", "%250A", "%250A"},
		{"::error::x", "::error::x", "%3A%3Aerror%3A%3Ax"},
		{`module.net["eu.west"].x[0]`, `module.net["eu.west"].x[0]`, `module.net["eu.west"].x[0]`},
		{"ünï ✓ <script>", "ünï ✓ <script>", "ünï ✓ <script>"},
	} {
		if got := escapeData(tc.in); got != tc.data {
			t.Errorf("escapeData(%q) = %q, want %q", tc.in, got, tc.data)
		}
		if got := escapeProperty(tc.in); got != tc.property {
			t.Errorf("escapeProperty(%q) = %q, want %q", tc.in, got, tc.property)
		}
	}
	got := githubCommand("error", [][2]string{{"file", "dir,x/a:b.tf"}, {"line", "3"}, {"title", "r: t, u"}}, "50% of\nthings")
	if want := "::error file=dir%2Cx/a%3Ab.tf,line=3,title=r%3A t%2C u::50%25 of%0Athings"; got != want {
		t.Errorf("command %q, want %q", got, want)
	}
}

func TestGitHubStepSummary(t *testing.T) {
	md := render(t, Markdown{}, realistic())
	for _, tc := range []struct {
		name string
		size int64
		// want is the bytes to append; nil for none (then a note).
		want []byte
	}{
		{"empty file: the report", 0, md},
		{"earlier output: a line break first", 22, append([]byte("\n"), md...)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			add, note, err := StepSummary(realistic(), "summary.md", tc.size)
			if err != nil || note != "" {
				t.Fatalf("err %v, note %q", err, note)
			}
			if !bytes.Equal(add, tc.want) {
				t.Errorf("append:\n%s\nwant:\n%s", add, tc.want)
			}
		})
	}
	// GitHub's Format itself writes no summary anywhere.
	if out := string(render(t, GitHub{}, realistic())); strings.Contains(out, "<details>") {
		t.Error("the Markdown went to the annotations")
	}
}

func TestGitHubSummaryFitsWhatIsLeft(t *testing.T) {
	used := int64(githubSummaryMax - 3000)
	add, note, err := StepSummary(bigReport(100), "summary.md", used)
	if err != nil || note != "" {
		t.Fatalf("err %v, note %q", err, note)
	}
	if used+int64(len(add)) > githubSummaryMax {
		t.Errorf("summary is %d bytes, over GitHub's %d", used+int64(len(add)), githubSummaryMax)
	}
	if len(add) == 0 {
		t.Error("nothing to add although there was room")
	}
	// A full file gets nothing; the note, printed by Format as a warning
	// annotation naming the file, says so, and the check goes on (the
	// summary is not the gate).
	full := used + int64(len(add))
	add, note, err = StepSummary(bigReport(100), "summary.md", full)
	if err != nil || add != nil || note == "" {
		t.Fatalf("full summary: add %d bytes, note %q, err %v", len(add), note, err)
	}
	out := string(render(t, GitHub{SummaryNote: note}, bigReport(100)))
	last := strings.Split(strings.TrimSpace(out), "\n")
	if w := last[len(last)-1]; !strings.HasPrefix(w, "::warning title=lockstep job summary::job summary summary.md") || !strings.Contains(w, "no room left") {
		t.Errorf("full summary: last line %q", w)
	}
}
