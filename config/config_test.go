package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/hcl/v2"
)

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "lockstep.hcl")
	if err := os.WriteFile(path, []byte(example), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := Load(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Filename != path || len(cfg.Environments) != 2 {
		t.Errorf("Load: got %+v", cfg)
	}

	missing := filepath.Join(dir, "nope.hcl")
	_, err = Load(missing, Options{})
	if err == nil || !strings.Contains(err.Error(), missing) || !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Load(missing) = %v; want an error naming the file and wrapping fs.ErrNotExist", err)
	}

	if err := os.WriteFile(path, []byte("bogus = 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = Load(path, Options{})
	if err == nil || !strings.HasPrefix(err.Error(), path+":1:1: Unsupported argument") {
		t.Errorf("Load(bad) = %v", err)
	}
}

func TestEnvironmentLookup(t *testing.T) {
	cfg, err := Parse([]byte(example), "lockstep.hcl", Options{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		query, wantName string
		wantAliases     []string
	}{
		{"production", "production", []string{"prod"}},
		{"prod", "production", []string{"prod"}},
		{"staging", "staging", nil},
		{"qa", "", nil},
	}
	for _, tt := range tests {
		e := cfg.Environment(tt.query)
		switch {
		case tt.wantName == "" && e != nil:
			t.Errorf("Environment(%q) = %+v, want nil", tt.query, e)
		case tt.wantName != "" && (e == nil || e.Name != tt.wantName):
			t.Errorf("Environment(%q) = %+v, want %q", tt.query, e, tt.wantName)
		}
		if got := cfg.Aliases(tt.query); !reflect.DeepEqual(got, tt.wantAliases) {
			t.Errorf("Aliases(%q) = %#v, want %#v", tt.query, got, tt.wantAliases)
		}
	}
	var nilCfg *Config
	if nilCfg.Environment("x") != nil || nilCfg.Aliases("x") != nil {
		t.Error("nil *Config lookups should return nil")
	}
}

func TestLockfile(t *testing.T) {
	abs := filepath.Join(t.TempDir(), "prod", ".terraform.lock.hcl")
	src := fmt.Sprintf(`environment "staging" {
  lockfile = "staging/.terraform.lock.hcl"
}
environment "production" {
  aliases  = ["prod"]
  lockfile = %q
}
environment "dev" {}
`, abs)
	tests := []struct {
		name, filename, query string
		want                  string
		// wantRange is the value's range as "LINE,COL-COL", or "" for none.
		wantRange string
	}{
		{"relative to a bare file name", "lockstep.hcl", "staging",
			filepath.Join("staging", ".terraform.lock.hcl"), "2,14-43"},
		{"relative to the config's directory", filepath.Join("repo", "infra", "lockstep.hcl"), "staging",
			filepath.Join("repo", "infra", "staging", ".terraform.lock.hcl"), "2,14-43"},
		{"relative to an absolute config path", filepath.Join(filepath.Dir(abs), "lockstep.hcl"), "staging",
			filepath.Join(filepath.Dir(abs), "staging", ".terraform.lock.hcl"), "2,14-43"},
		{"absolute path kept", filepath.Join("repo", "lockstep.hcl"), "production", abs, fmt.Sprintf("6,14-%d", 14+len(fmt.Sprintf("%q", abs)))},
		{"alias lookup", "lockstep.hcl", "prod", abs, fmt.Sprintf("6,14-%d", 14+len(fmt.Sprintf("%q", abs)))},
		{"not set", "lockstep.hcl", "dev", "", ""},
		{"undeclared environment", "lockstep.hcl", "qa", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := Parse([]byte(src), tt.filename, Options{})
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if got := cfg.Lockfile(tt.query); got != tt.want {
				t.Errorf("Lockfile(%q) = %q, want %q", tt.query, got, tt.want)
			}
			e := cfg.Environment(tt.query)
			if e == nil {
				return
			}
			if e.Lockfile != tt.want {
				t.Errorf("Environment(%q).Lockfile = %q, want %q", tt.query, e.Lockfile, tt.want)
			}
			gotRange := ""
			if e.LockfileRange != (hcl.Range{}) {
				r := e.LockfileRange
				if r.Filename != tt.filename {
					t.Errorf("LockfileRange.Filename = %q, want %q", r.Filename, tt.filename)
				}
				gotRange = fmt.Sprintf("%d,%d-%d", r.Start.Line, r.Start.Column, r.End.Column)
			}
			if gotRange != tt.wantRange {
				t.Errorf("LockfileRange = %q, want %q", gotRange, tt.wantRange)
			}
		})
	}
	var nilCfg *Config
	if nilCfg.Lockfile("x") != "" {
		t.Error(`nil *Config Lockfile should return ""`)
	}
}

func TestSource(t *testing.T) {
	src := `environment "staging" {
  source = "envs/staging"
}
environment "production" {
  aliases = ["prod"]
  source  = "/srv/infra/production"
}
environment "dev" {}
`
	tests := []struct {
		name, filename, query, want string
	}{
		{"relative to a bare file name", "lockstep.hcl", "staging", filepath.Join("envs", "staging")},
		{"relative to the config's directory", filepath.Join("infra", "lockstep.hcl"), "staging", filepath.Join("infra", "envs", "staging")},
		{"absolute path kept", "lockstep.hcl", "production", "/srv/infra/production"},
		{"alias lookup", "lockstep.hcl", "prod", "/srv/infra/production"},
		{"not set", "lockstep.hcl", "dev", ""},
		{"undeclared environment", "lockstep.hcl", "qa", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := Parse([]byte(src), tt.filename, Options{})
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if got := cfg.Source(tt.query); got != tt.want {
				t.Errorf("Source(%q) = %q, want %q", tt.query, got, tt.want)
			}
			if e := cfg.Environment(tt.query); e != nil && tt.want != "" && e.SourceRange.Start.Line == 0 {
				t.Errorf("Environment(%q).SourceRange is not set", tt.query)
			}
		})
	}
	var nilCfg *Config
	if nilCfg.Source("x") != "" {
		t.Error(`nil *Config Source should return ""`)
	}
}

func TestWaiverExpired(t *testing.T) {
	w := Waiver{Expires: time.Date(2027, 1, 31, 0, 0, 0, 0, time.UTC)}
	tokyo := time.FixedZone("JST", 9*3600)
	tests := []struct {
		today time.Time
		want  bool
	}{
		{time.Date(2027, 1, 30, 23, 59, 0, 0, time.UTC), false},
		{time.Date(2027, 1, 31, 0, 0, 0, 0, time.UTC), false},
		{time.Date(2027, 1, 31, 23, 59, 59, 999, time.UTC), false},
		{time.Date(2027, 2, 1, 0, 0, 0, 0, time.UTC), true},
		{time.Date(2028, 1, 1, 0, 0, 0, 0, time.UTC), true},
		// 08:00 on Feb 1 in Tokyo is still Jan 31 in UTC.
		{time.Date(2027, 2, 1, 8, 0, 0, 0, tokyo), false},
		{time.Date(2027, 2, 1, 9, 0, 0, 0, tokyo), true},
	}
	for _, tt := range tests {
		if got := w.Expired(tt.today); got != tt.want {
			t.Errorf("Expired(%v) = %v, want %v", tt.today, got, tt.want)
		}
	}
}
