package report

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lockstep-iac/lockstep/internal/golden"
)

func TestGitHubGolden(t *testing.T) {
	for _, tc := range []struct {
		name string
		r    *Report
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

func TestGitHubSummaryFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "step_summary.md")
	if err := os.WriteFile(path, []byte("# Earlier step output\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	g := GitHub{SummaryFile: path}
	stdout := string(render(t, g, realistic()))
	if strings.Contains(stdout, "<details>") {
		t.Error("the Markdown went to stdout")
	}
	render(t, g, parity())
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	md := string(render(t, Markdown{}, realistic()))
	want := "# Earlier step output\n\n" + md + "\n" + string(render(t, Markdown{}, parity()))
	if string(got) != want {
		t.Errorf("summary file:\n%s\nwant:\n%s", got, want)
	}
}

func TestGitHubSummaryFitsWhatIsLeft(t *testing.T) {
	path := filepath.Join(t.TempDir(), "summary.md")
	used := githubSummaryMax - 3000
	if err := os.WriteFile(path, bytes.Repeat([]byte("x\n"), used/2), 0o644); err != nil {
		t.Fatal(err)
	}
	render(t, GitHub{SummaryFile: path}, bigReport(100))
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Size() > githubSummaryMax {
		t.Errorf("summary is %d bytes, over GitHub's %d", st.Size(), githubSummaryMax)
	}
	if st.Size() <= int64(used) {
		t.Error("nothing written although there was room")
	}
	// A full file is left alone; a warning annotation naming it says so,
	// and the check goes on (the summary is not the gate).
	var buf bytes.Buffer
	if err := (GitHub{SummaryFile: path}).Format(&buf, bigReport(100)); err != nil {
		t.Errorf("full summary: err %v", err)
	}
	last := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if w := last[len(last)-1]; !strings.HasPrefix(w, "::warning title=lockstep job summary::job summary "+path) || !strings.Contains(w, "no room left") {
		t.Errorf("full summary: last line %q", w)
	}
	if after, _ := os.Stat(path); after.Size() != st.Size() {
		t.Error("a full summary file was written to")
	}
}

func TestGitHubSummaryError(t *testing.T) {
	dir := t.TempDir()
	var buf bytes.Buffer
	err := GitHub{SummaryFile: dir}.Format(&buf, realistic())
	if err == nil || !strings.Contains(err.Error(), dir) {
		t.Errorf("err %v, want one naming %s", err, dir)
	}
	if !strings.Contains(buf.String(), "::error ") {
		t.Error("annotations must be written before the summary fails")
	}
}
