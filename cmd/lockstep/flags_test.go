package main

import (
	"errors"
	"strings"
	"testing"

	"github.com/lockstep-iac/lockstep/check"
)

func TestParseOutputs(t *testing.T) {
	tests := []struct {
		name   string
		specs  []string
		output string
		// want is "format>path" per output, path "" for stdout.
		want []string
		// err is a substring of the usage error, "" for none.
		err string
	}{
		{name: "default text", want: []string{"text>"}},
		{name: "one format", specs: []string{"json"}, want: []string{"json>"}},
		{name: "--output applies to formats without a file", specs: []string{"json"}, output: "r.json", want: []string{"json>r.json"}},
		{name: "--output -", specs: []string{"json"}, output: "-", want: []string{"json>"}},
		{name: "stdout and files", specs: []string{"json", "sarif=out/l.sarif", "markdown=l.md", "junit=-"}, err: "json and junit would both write to standard output"},
		{name: "several files", specs: []string{"text", "sarif=l.sarif", "junit=l.xml", "github=gh.txt", "markdown=l.md", "json=l.json"},
			want: []string{"text>", "sarif>l.sarif", "junit>l.xml", "github>gh.txt", "markdown>l.md", "json>l.json"}},
		{name: "two to stdout", specs: []string{"json", "text"}, err: "json and text would both write to standard output; give one of them a file, for example --format text=lockstep.text"},
		{name: "two to one file", specs: []string{"json=r", "sarif=r"}, err: "json and sarif would both write to r; give each format its own file"},
		{name: "two to --output", specs: []string{"json", "sarif"}, output: "r", err: "would both write to r"},
		{name: "empty file", specs: []string{"sarif="}, err: `--format "sarif=": give a file after =`},
		{name: "unknown format", specs: []string{"html=r.html"}, err: "--format: "},
		{name: "spaces trimmed", specs: []string{" json = r.json "}, want: []string{"json>r.json"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			outs, _, err := parseOutputs(tt.specs, tt.output)
			if tt.err != "" {
				var ue *check.UsageError
				if !errors.As(err, &ue) || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error %v, want a usage error containing %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, o := range outs {
				got = append(got, o.Format+">"+o.Path)
				if o.Formatter == nil {
					t.Errorf("%s: no formatter", o.Format)
				}
			}
			if strings.Join(got, " ") != strings.Join(tt.want, " ") {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestParseSource(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want map[string]string
		err  string
	}{
		{name: "per environment", args: []string{"staging=envs/staging", "production=envs/production"},
			want: map[string]string{"staging": "envs/staging", "production": "envs/production"}},
		{name: "every environment", args: []string{"infra"}, want: map[string]string{"": "infra"}},
		{name: "empty dir", args: []string{"staging="}, err: "expected NAME=DIR"},
		{name: "empty name", args: []string{"=envs"}, err: "expected NAME=DIR"},
		{name: "twice", args: []string{"staging=a", "staging=b"}, err: "staging is given twice (a and b)"},
		{name: "all twice", args: []string{"a", "b"}, err: "every environment is given twice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := map[string]string{}
			var err error
			for _, a := range tt.args {
				if err = parseSource(a, got); err != nil {
					break
				}
			}
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
			for k, v := range tt.want {
				if got[k] != v {
					t.Errorf("got %v, want %v", got, tt.want)
				}
			}
		})
	}
}

func TestParseFailOn(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want check.FailOn
		err  string
	}{
		{in: "error", want: check.FailOnError},
		{in: "warning", want: check.FailOnWarning},
		{in: "never", want: check.FailOnNever},
		{in: "Warning", err: `--fail-on "Warning": use error, warning or never`},
		{in: "", err: `--fail-on "": use error, warning or never`},
	} {
		got, err := parseFailOn(tc.in)
		if tc.err != "" {
			var ue *check.UsageError
			if !errors.As(err, &ue) || err.Error() != tc.err {
				t.Errorf("parseFailOn(%q): error %v, want %q", tc.in, err, tc.err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("parseFailOn(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
		}
	}
}
