package parity_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/lockstep-iac/lockstep/snapshot"
)

// TestTokenValues compares one attribute value per environment: the
// environment's name and aliases are replaced where they stand as whole
// words, case-insensitively.
func TestTokenValues(t *testing.T) {
	tests := []struct {
		name                string
		staging, production any
		differs             bool
	}{
		{"name replaced", "net-staging", "net-production", false},
		{"alias replaced", "db-staging", "db-prod", false},
		{"several tokens", "staging/net-staging", "prod/net-production", false},
		{"case-insensitive", "net-STAGING", "net-Production", false},
		{"upper case elsewhere kept", "NET-staging", "net-production", true},
		{"underscore is a separator", "net_staging", "net_production", false},
		{"token at both ends", "staging", "production", false},
		{"prod inside product untouched", "product-staging", "product-production", false},
		{"product is not prod", "product", "prod", true},
		{"staging inside a word", "netstaging", "netproduction", true},
		{"digit joins the word", "staging1", "production1", true},
		{"token of the other environment", "net-production", "net-production", false},
		{"different values", "net-staging-a", "net-production-b", true},
		{"identical values", "10.0.0.0/16", "10.0.0.0/16", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := pair(t,
				snap(res("aws_x.a", vals{"name": tt.staging})),
				snap(res("aws_x.a", vals{"name": tt.production})))
			r := resource(t, f, "aws_x.a")
			if got := len(r.Attributes) > 0; got != tt.differs {
				t.Fatalf("differs = %v, want %v (attributes %v)", got, tt.differs, paths(r))
			}
			if tt.differs {
				a := attr(t, r, "name")
				if !a.DiffersNow || !a.DiffersAfter || a.Now["staging"] != tt.staging || a.Now["production"] != tt.production {
					t.Errorf("attribute %+v", a)
				}
			}
		})
	}
}

func TestTokenAddresses(t *testing.T) {
	f := pair(t,
		snap(
			res(`module.app["staging"].aws_x.y`, vals{"v": "1"}),
			res(`aws_x.bucket_staging`, vals{"v": "1"}),
			res(`aws_x.product`, vals{"v": "1"}),
			res(`aws_x.web["STAGING"]`, vals{"v": "1"}),
		),
		snap(
			res(`module.app["production"].aws_x.y`, vals{"v": "1"}),
			res(`aws_x.bucket_prod`, vals{"v": "1"}),
			res(`aws_x.product`, vals{"v": "1"}),
			res(`aws_x.web["Production"]`, vals{"v": "1"}),
		))
	want := []string{
		`aws_x.bucket_${env}`,
		`aws_x.product`,
		`aws_x.web["${env}"]`,
		`module.app["${env}"].aws_x.y`,
	}
	if got := canonicals(f); !slices.Equal(got, want) {
		t.Fatalf("canonical addresses %v, want %v (sorted)", got, want)
	}
	r := resource(t, f, `module.app["${env}"].aws_x.y`)
	if r.Address != `module.app["staging"].aws_x.y` || r.Type != "aws_x" {
		t.Errorf("address %q type %q: want the first environment's address", r.Address, r.Type)
	}
	if r.Envs[0].Address != `module.app["staging"].aws_x.y` || r.Envs[1].Address != `module.app["production"].aws_x.y` {
		t.Errorf("env addresses %+v", r.Envs)
	}
	for _, e := range r.Envs {
		if !e.Now || !e.After {
			t.Errorf("%s: now %v after %v", e.Env, e.Now, e.After)
		}
	}
}

// TestCollisionFallback: two addresses of one environment with the same
// canonical form are matched by their literal addresses.
func TestCollisionFallback(t *testing.T) {
	f := pair(t,
		snap(res(`aws_x.web["staging"]`, vals{"v": "1"}), res(`aws_x.other`, vals{"v": "1"})),
		snap(res(`aws_x.web["prod"]`, vals{"v": "1"}), res(`aws_x.web["production"]`, vals{"v": "2"}), res(`aws_x.other`, vals{"v": "1"})))
	want := []string{`aws_x.other`, `aws_x.web["${env}"]`, `aws_x.web["prod"]`, `aws_x.web["production"]`}
	if got := canonicals(f); !slices.Equal(got, want) {
		t.Fatalf("canonical addresses %v, want %v", got, want)
	}
	stg := resource(t, f, `aws_x.web["${env}"]`)
	if !stg.Envs[0].Now || stg.Envs[1].Now || stg.Envs[1].Address != "" {
		t.Errorf("staging's web: %+v", stg.Envs)
	}
	for _, c := range []string{`aws_x.web["prod"]`, `aws_x.web["production"]`} {
		r := resource(t, f, c)
		if r.Envs[0].Now || !r.Envs[1].Now || r.Envs[1].Address != c || r.Address != c {
			t.Errorf("%s: %+v", c, r.Envs)
		}
	}
	if other := resource(t, f, "aws_x.other"); !other.Envs[0].Now || !other.Envs[1].Now {
		t.Errorf("a collision must not affect other resources: %+v", other.Envs)
	}
}

// TestIdentityReferences: a value equal to the id (arn, self_link) of
// another resource of the same environment stands for that resource.
func TestIdentityReferences(t *testing.T) {
	stagingNets := []*snapshot.Resource{
		res("aws_subnet.main", vals{"id": "subnet-stg-0001", "arn": "arn:aws:ec2:subnet/stg-0001"}),
		res("aws_subnet.other", vals{"id": "subnet-stg-0002", "arn": "arn:aws:ec2:subnet/stg-0002"}),
	}
	productionNets := []*snapshot.Resource{
		res("aws_subnet.main", vals{"id": "subnet-prd-9999", "arn": "arn:aws:ec2:subnet/prd-9999"}),
		res("aws_subnet.other", vals{"id": "subnet-prd-8888", "arn": "arn:aws:ec2:subnet/prd-8888"}),
	}
	tests := []struct {
		name                string
		staging, production vals
		differs             []string
	}{
		{"each points at its own main subnet",
			vals{"network": "subnet-stg-0001", "subnet_id": "subnet-stg-0001", "subnet_arn": "arn:aws:ec2:subnet/stg-0001", "subnets": []any{"subnet-stg-0002", "subnet-stg-0001"}},
			vals{"network": "subnet-prd-9999", "subnet_id": "subnet-prd-9999", "subnet_arn": "arn:aws:ec2:subnet/prd-9999", "subnets": []any{"subnet-prd-8888", "subnet-prd-9999"}},
			nil},
		{"production points at another of its subnets",
			vals{"network": "subnet-stg-0001", "subnet_id": "subnet-stg-0001"},
			vals{"network": "subnet-prd-8888", "subnet_id": "subnet-prd-8888"},
			[]string{"network", "subnet_id"}},
		// Terraform writes sets sorted by value, so the same subnets come
		// out in another order per environment: compared as sets (issue 16).
		{"a list of references is compared as a set",
			vals{"subnets": []any{"subnet-stg-0001", "subnet-stg-0002"}},
			vals{"subnets": []any{"subnet-prd-8888", "subnet-prd-9999"}},
			nil},
		{"a set of references that differs differs as a whole",
			vals{"subnets": []any{"subnet-stg-0001", "subnet-stg-0002"}},
			vals{"subnets": []any{"subnet-prd-9999"}},
			[]string{"subnets"}},
		{"inside a nested block",
			vals{"config": []any{vals{"network": "subnet-stg-0002"}}},
			vals{"config": []any{vals{"network": "subnet-prd-8888"}}},
			nil},
		{"in a leaf of mismatched shape",
			vals{"config": []any{"subnet-stg-0002"}},
			vals{"config": vals{"x": "subnet-prd-8888"}},
			[]string{"config"}},
		// Both hold staging's id literally. This is not an attribute
		// divergence; a cross-environment reference is a matter for its own
		// rule (see identifierSuffixes in build.go).
		{"production holds staging's id literally",
			vals{"network": "subnet-stg-0001"},
			vals{"network": "subnet-stg-0001"},
			nil},
		{"production holds an id that is not a resource of it",
			vals{"network": "subnet-stg-0001"},
			vals{"network": "subnet-elsewhere"},
			[]string{"network"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := pair(t,
				snap(append([]*snapshot.Resource{res("aws_instance.app", tt.staging)}, stagingNets...)...),
				snap(append([]*snapshot.Resource{res("aws_instance.app", tt.production)}, productionNets...)...))
			r := resource(t, f, "aws_instance.app")
			want := tt.differs
			if want == nil {
				want = []string{}
			}
			if got := paths(r); !slices.Equal(got, want) {
				t.Errorf("differing paths %v, want %v", got, want)
			}
			for _, a := range r.Attributes {
				for env, v := range a.Now {
					if s, ok := v.(string); ok && strings.Contains(s, "${") {
						t.Errorf("%s shows a normalised value %q for %s instead of the real one", a.Path, s, env)
					}
				}
			}
		})
	}
	t.Run("short ids are not identities", func(t *testing.T) {
		f := pair(t,
			snap(res("aws_instance.app", vals{"network": "s-1"}), res("aws_subnet.main", vals{"id": "s-1"})),
			snap(res("aws_instance.app", vals{"network": "s-2"}), res("aws_subnet.main", vals{"id": "s-2"})))
		if got := paths(resource(t, f, "aws_instance.app")); !slices.Equal(got, []string{"network"}) {
			t.Errorf("paths %v: a 3-character id is too short to be recognised", got)
		}
	})
	t.Run("self_link", func(t *testing.T) {
		f := pair(t,
			snap(res("google_x.a", vals{"net": "https://x/stg-net-1"}), res("google_net.n", vals{"self_link": "https://x/stg-net-1"})),
			snap(res("google_x.a", vals{"net": "https://x/prd-net-1"}), res("google_net.n", vals{"self_link": "https://x/prd-net-1"})))
		if got := paths(resource(t, f, "google_x.a")); len(got) != 0 {
			t.Errorf("paths %v", got)
		}
	})
}
