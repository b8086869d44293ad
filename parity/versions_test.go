package parity_test

import (
	"testing"

	"github.com/lockstep-iac/lockstep/parity"
	"github.com/lockstep-iac/lockstep/snapshot"
)

const awsProvider = "registry.terraform.io/hashicorp/aws"

// versioned is an environment's input with what lockstep reads about its
// versions. tf "" leaves the Terraform version unknown; providers nil means
// no lock file was read; modules nil means no configuration (a state).
func versioned(name, tf string, providers map[string]string, modules map[string]snapshot.ModuleCall) *snapshot.Snapshot {
	s := snap()
	s.Source = name + ".plan.json"
	s.TerraformVersion = tf
	s.Providers = providers
	if providers != nil {
		s.LockFile = name + "/.terraform.lock.hcl"
	}
	s.Modules = modules
	return s
}

type mods = map[string]snapshot.ModuleCall

type provs = map[string]string

func locks(names ...string) map[string]string {
	out := map[string]string{}
	for _, n := range names {
		out[n] = n + "/.terraform.lock.hcl"
	}
	return out
}

// TestVersions compares staging (first) and production (alias prod).
func TestVersions(t *testing.T) {
	both := []string{"staging", "production"}
	none := []string{}
	tests := []struct {
		name                string
		staging, production *snapshot.Snapshot
		want                []*parity.Version
	}{
		{
			name:       "terraform versions differ",
			staging:    versioned("staging", "1.9.0", nil, nil),
			production: versioned("production", "1.8.5", nil, nil),
			want: []*parity.Version{{Kind: "terraform", Name: "terraform", Values: map[string]string{"staging": "1.9.0", "production": "1.8.5"},
				Missing: none, Sources: map[string]string{}, Differs: true}},
		},
		{
			name:       "terraform versions equal",
			staging:    versioned("staging", "1.9.0", nil, nil),
			production: versioned("production", "1.9.0", nil, nil),
			want: []*parity.Version{{Kind: "terraform", Name: "terraform", Values: map[string]string{"staging": "1.9.0", "production": "1.9.0"},
				Missing: none, Sources: map[string]string{}}},
		},
		{
			name:       "terraform version unknown in one input",
			staging:    versioned("staging", "1.9.0", nil, nil),
			production: versioned("production", "", nil, nil),
		},
		{
			name:       "providers differ",
			staging:    versioned("staging", "", provs{awsProvider: "5.1.0"}, nil),
			production: versioned("production", "", provs{awsProvider: "5.2.0"}, nil),
			want: []*parity.Version{{Kind: "provider", Name: awsProvider, Values: map[string]string{"staging": "5.1.0", "production": "5.2.0"},
				Missing: none, Sources: locks(both...), Differs: true}},
		},
		{
			name:       "providers equal, sorted by name",
			staging:    versioned("staging", "", provs{awsProvider: "5.1.0", "registry.terraform.io/hashicorp/random": "3.6.0"}, nil),
			production: versioned("production", "", provs{"registry.terraform.io/hashicorp/random": "3.6.0", awsProvider: "5.1.0"}, nil),
			want: []*parity.Version{
				{Kind: "provider", Name: awsProvider, Values: map[string]string{"staging": "5.1.0", "production": "5.1.0"}, Missing: none, Sources: locks(both...)},
				{Kind: "provider", Name: "registry.terraform.io/hashicorp/random", Values: map[string]string{"staging": "3.6.0", "production": "3.6.0"}, Missing: none, Sources: locks(both...)},
			},
		},
		{
			name:       "provider missing from one lock file",
			staging:    versioned("staging", "", provs{awsProvider: "5.1.0"}, nil),
			production: versioned("production", "", provs{}, nil),
			want: []*parity.Version{{Kind: "provider", Name: awsProvider, Values: map[string]string{"staging": "5.1.0"},
				Missing: []string{"production"}, Sources: locks(both...), Differs: true}},
		},
		{
			name:       "no lock file in one environment",
			staging:    versioned("staging", "", provs{awsProvider: "5.1.0"}, nil),
			production: versioned("production", "", nil, nil),
		},
		{
			name:       "module sources differ",
			staging:    versioned("staging", "", nil, mods{"module.app": {Source: "git::https://x/app.git?ref=v1"}}),
			production: versioned("production", "", nil, mods{"module.app": {Source: "git::https://x/app.git?ref=v2"}}),
			want: []*parity.Version{{Kind: "module-source", Name: "module.app",
				Values:  map[string]string{"staging": "git::https://x/app.git?ref=v1", "production": "git::https://x/app.git?ref=v2"},
				Missing: none, Sources: map[string]string{}, Differs: true}},
		},
		{
			name:       "module sources equal",
			staging:    versioned("staging", "", nil, mods{"module.app": {Source: "./modules/app"}}),
			production: versioned("production", "", nil, mods{"module.app": {Source: "./modules/app"}}),
			want: []*parity.Version{{Kind: "module-source", Name: "module.app",
				Values: map[string]string{"staging": "./modules/app", "production": "./modules/app"}, Missing: none, Sources: map[string]string{}}},
		},
		{
			name:       "module sources differ only by environment name",
			staging:    versioned("staging", "", nil, mods{"module.env": {Source: "./envs/staging"}}),
			production: versioned("production", "", nil, mods{"module.env": {Source: "./envs/production"}}),
			want: []*parity.Version{{Kind: "module-source", Name: "module.env",
				Values: map[string]string{"staging": "./envs/staging", "production": "./envs/production"}, Missing: none, Sources: map[string]string{}}},
		},
		{
			name:       "module sources differ only by alias",
			staging:    versioned("staging", "", nil, mods{"module.env": {Source: "./envs/staging"}}),
			production: versioned("production", "", nil, mods{"module.env": {Source: "./envs/prod"}}),
			want: []*parity.Version{{Kind: "module-source", Name: "module.env",
				Values: map[string]string{"staging": "./envs/staging", "production": "./envs/prod"}, Missing: none, Sources: map[string]string{}}},
		},
		{
			name:       "swapped environment paths differ",
			staging:    versioned("staging", "", nil, mods{"module.env": {Source: "./envs/production"}}),
			production: versioned("production", "", nil, mods{"module.env": {Source: "./envs/staging"}}),
			want: []*parity.Version{{Kind: "module-source", Name: "module.env",
				Values: map[string]string{"staging": "./envs/production", "production": "./envs/staging"}, Missing: none, Sources: map[string]string{}, Differs: true}},
		},
		{
			name:       "module missing in one configuration",
			staging:    versioned("staging", "", nil, mods{"module.app": {Source: "terraform-aws-modules/vpc/aws", Version: "~> 5.0"}}),
			production: versioned("production", "", nil, mods{}),
			want: []*parity.Version{{Kind: "module-source", Name: "module.app",
				Values: map[string]string{"staging": "terraform-aws-modules/vpc/aws"}, Missing: []string{"production"}, Sources: map[string]string{}, Differs: true}},
		},
		{
			name:       "version constraints differ",
			staging:    versioned("staging", "", nil, mods{"module.vpc": {Source: "terraform-aws-modules/vpc/aws", Version: "~> 5.0"}}),
			production: versioned("production", "", nil, mods{"module.vpc": {Source: "terraform-aws-modules/vpc/aws", Version: "~> 4.0"}}),
			want: []*parity.Version{
				{Kind: "module-source", Name: "module.vpc", Values: map[string]string{"staging": "terraform-aws-modules/vpc/aws", "production": "terraform-aws-modules/vpc/aws"},
					Missing: none, Sources: map[string]string{}},
				{Kind: "module-version", Name: "module.vpc", Values: map[string]string{"staging": "~> 5.0", "production": "~> 4.0"},
					Missing: none, Sources: map[string]string{}, Differs: true},
			},
		},
		{
			name:       "version constraint in one environment only",
			staging:    versioned("staging", "", nil, mods{"module.vpc": {Source: "terraform-aws-modules/vpc/aws", Version: "5.1.2"}}),
			production: versioned("production", "", nil, mods{"module.vpc": {Source: "terraform-aws-modules/vpc/aws"}}),
			want: []*parity.Version{
				{Kind: "module-source", Name: "module.vpc", Values: map[string]string{"staging": "terraform-aws-modules/vpc/aws", "production": "terraform-aws-modules/vpc/aws"},
					Missing: none, Sources: map[string]string{}},
				{Kind: "module-version", Name: "module.vpc", Values: map[string]string{"staging": "5.1.2"},
					Missing: []string{"production"}, Sources: map[string]string{}, Differs: true},
			},
		},
		{
			name:       "no version constraints",
			staging:    versioned("staging", "", nil, mods{"module.app": {Source: "./modules/app"}, "module.app.module.db": {Source: "./modules/db"}}),
			production: versioned("production", "", nil, mods{"module.app": {Source: "./modules/app"}, "module.app.module.db": {Source: "./modules/db"}}),
			want: []*parity.Version{
				{Kind: "module-source", Name: "module.app", Values: map[string]string{"staging": "./modules/app", "production": "./modules/app"}, Missing: none, Sources: map[string]string{}},
				{Kind: "module-source", Name: "module.app.module.db", Values: map[string]string{"staging": "./modules/db", "production": "./modules/db"}, Missing: none, Sources: map[string]string{}},
			},
		},
		{
			name:       "a state has no configuration",
			staging:    versioned("staging", "", nil, mods{"module.app": {Source: "./modules/app", Version: ""}}),
			production: versioned("production", "", nil, nil),
		},
		{
			name:       "everything, in order",
			staging:    versioned("staging", "1.9.0", provs{awsProvider: "5.1.0"}, mods{"module.vpc": {Source: "terraform-aws-modules/vpc/aws", Version: "~> 5.0"}}),
			production: versioned("production", "1.9.1", provs{awsProvider: "5.1.0"}, mods{"module.vpc": {Source: "terraform-aws-modules/vpc/aws", Version: "~> 5.0"}}),
			want: []*parity.Version{
				{Kind: "terraform", Name: "terraform", Values: map[string]string{"staging": "1.9.0", "production": "1.9.1"}, Missing: none, Sources: map[string]string{}, Differs: true},
				{Kind: "provider", Name: awsProvider, Values: map[string]string{"staging": "5.1.0", "production": "5.1.0"}, Missing: none, Sources: locks(both...)},
				{Kind: "module-source", Name: "module.vpc", Values: map[string]string{"staging": "terraform-aws-modules/vpc/aws", "production": "terraform-aws-modules/vpc/aws"}, Missing: none, Sources: map[string]string{}},
				{Kind: "module-version", Name: "module.vpc", Values: map[string]string{"staging": "~> 5.0", "production": "~> 5.0"}, Missing: none, Sources: map[string]string{}},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := pair(t, tt.staging, tt.production)
			want := tt.want
			if want == nil {
				want = []*parity.Version{}
			}
			if f.Versions == nil || mustJSON(t, f.Versions) != mustJSON(t, want) {
				t.Errorf("versions\n%s\nwant\n%s", mustJSON(t, f.Versions), mustJSON(t, want))
			}
		})
	}
}

// TestVersionsThreeEnvironments: inputs without the information are left
// out; the others are still compared.
func TestVersionsThreeEnvironments(t *testing.T) {
	dev := versioned("dev", "1.9.0", provs{awsProvider: "5.2.0"}, nil)
	staging := versioned("staging", "", provs{}, mods{"module.app": {Source: "./modules/app"}})
	production := versioned("production", "1.9.0", nil, mods{"module.app": {Source: "./modules/app"}})
	f := build(t, parity.Options{Envs: []parity.Env{env("dev", dev), env("staging", staging), env("production", production, "prod")}})
	want := []*parity.Version{
		{Kind: "terraform", Name: "terraform", Values: map[string]string{"dev": "1.9.0", "production": "1.9.0"}, Missing: []string{}, Sources: map[string]string{}},
		{Kind: "provider", Name: awsProvider, Values: map[string]string{"dev": "5.2.0"}, Missing: []string{"staging"}, Sources: locks("dev", "staging"), Differs: true},
		{Kind: "module-source", Name: "module.app", Values: map[string]string{"staging": "./modules/app", "production": "./modules/app"}, Missing: []string{}, Sources: map[string]string{}},
	}
	if mustJSON(t, f.Versions) != mustJSON(t, want) {
		t.Errorf("versions\n%s\nwant\n%s", mustJSON(t, f.Versions), mustJSON(t, want))
	}
}

// TestVersionsIdenticalSourceNamingAnEnvironment: two environments calling
// the very same module source are never different, even when the source
// happens to contain one environment's name or alias as a word (replacing
// only production's "prod" would make "acme-prod" and "acme-prod" differ).
func TestVersionsIdenticalSourceNamingAnEnvironment(t *testing.T) {
	for _, source := range []string{
		"app.terraform.io/acme-prod/vpc/aws",
		"git::https://github.com/acme/staging-tools.git//network",
		"./modules/production-network",
	} {
		t.Run(source, func(t *testing.T) {
			f := pair(t,
				versioned("staging", "", nil, mods{"module.net": {Source: source}}),
				versioned("production", "", nil, mods{"module.net": {Source: source}}))
			if len(f.Versions) != 1 || f.Versions[0].Kind != "module-source" || f.Versions[0].Differs {
				t.Errorf("identical sources reported as different:\n%s", mustJSON(t, f.Versions))
			}
		})
	}
}

// TestVersionsSourceCredentials: the parser hides a module source's
// credentials (internal/sourceaddr); sources that differ only in them are
// the same module, whatever the tokens were and whether one environment
// had none, while any other difference is still skew.
func TestVersionsSourceCredentials(t *testing.T) {
	const (
		withToken = "git::https://(credentials)@github.com/acme/net.git?ref=v2&sshkey=(credentials)"
		without   = "git::https://github.com/acme/net.git?ref=v2"
		otherRef  = "git::https://(credentials)@github.com/acme/net.git?ref=v1&sshkey=(credentials)"
	)
	tests := []struct {
		staging, production string
		differs             bool
	}{
		{withToken, withToken, false},
		{withToken, without, false},
		{without, withToken, false},
		{withToken, otherRef, true},
	}
	for _, tt := range tests {
		f := pair(t,
			versioned("staging", "", nil, mods{"module.net": {Source: tt.staging}}),
			versioned("production", "", nil, mods{"module.net": {Source: tt.production}}))
		if len(f.Versions) != 1 || f.Versions[0].Differs != tt.differs {
			t.Errorf("%s vs %s: want differs %v:\n%s", tt.staging, tt.production, tt.differs, mustJSON(t, f.Versions))
			continue
		}
		// Shown as the parser gave them, placeholders included.
		if got := f.Versions[0].Values; got["staging"] != tt.staging || got["production"] != tt.production {
			t.Errorf("values %v, want the sources as given", got)
		}
	}
}
