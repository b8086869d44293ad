package parity_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/lockstep-iac/lockstep/parity"
	"github.com/lockstep-iac/lockstep/snapshot"
)

func TestBuildErrors(t *testing.T) {
	if _, err := parity.Build(parity.Options{}); err == nil {
		t.Error("Build without environments succeeded")
	}
	_, err := parity.Build(parity.Options{Envs: []parity.Env{env("staging", snap()), env("production", snap())}, Target: "prod"})
	if err == nil || !strings.Contains(err.Error(), `"prod"`) || !strings.Contains(err.Error(), "staging, production") {
		t.Errorf("unknown target: %v", err)
	}
}

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
		{"list order matters",
			vals{"subnets": []any{"subnet-stg-0001", "subnet-stg-0002"}},
			vals{"subnets": []any{"subnet-prd-8888", "subnet-prd-9999"}},
			[]string{"subnets.0", "subnets.1"}},
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

func TestIgnore(t *testing.T) {
	staging := snap(res("aws_x.a", vals{
		"id": "a-1", "arn": "arn:1", "created_at": "2024-01-01", "name": "a",
		"nested": []any{vals{"id": "n-1", "last_modified": "t1", "size": "1"}},
	}))
	production := snap(res("aws_x.a", vals{
		"id": "a-2", "arn": "arn:2", "created_at": "2025-01-01", "name": "b",
		"nested": []any{vals{"id": "n-2", "last_modified": "t2", "size": "2"}},
	}))
	tests := []struct {
		name   string
		ignore []string
		want   []string
	}{
		{"default", nil, []string{"name", "nested.0.size"}},
		{"custom", []string{"name", "size"}, []string{"arn", "created_at", "id", "nested.0.id", "nested.0.last_modified"}},
		{"nothing", []string{}, []string{"arn", "created_at", "id", "name", "nested.0.id", "nested.0.last_modified", "nested.0.size"}},
		{"a container", []string{"nested", "id", "arn", "created_at"}, []string{"name"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := parity.Options{Envs: []parity.Env{env("staging", staging), env("production", production)}}
			f, err := parity.Build(opts)
			if tt.ignore != nil {
				f, err = parity.BuildIgnoring(opts, tt.ignore)
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := paths(resource(t, f, "aws_x.a")); !slices.Equal(got, tt.want) {
				t.Errorf("paths %v, want %v", got, tt.want)
			}
		})
	}
	for _, k := range []string{"id", "arn", "created_at", "timestamp", "etag"} {
		if !slices.Contains(parity.DefaultIgnore, k) {
			t.Errorf("DefaultIgnore lacks %q", k)
		}
	}
}

func TestDeclaredAndOnlyIn(t *testing.T) {
	staging := snap(
		res(`aws_x.sized`, vals{"size": "small", "input": vals{"size": "small", "zone": "a"}, "name": "x"}),
		res(`aws_x.other`, vals{"size": "small"}),
		res(`module.m["staging"].aws_x.mod`, vals{"size": "small"}),
	)
	production := snap(
		res(`aws_x.sized`, vals{"size": "large", "input": vals{"size": "large", "zone": "b"}, "name": "y"}),
		res(`aws_x.other`, vals{"size": "large"}),
		res(`module.m["production"].aws_x.mod`, vals{"size": "large"}),
		res(`aws_x.shield`, vals{"on": true}),
	)
	opts := parity.Options{
		Envs: []parity.Env{env("staging", staging), env("production", production)},
		Declared: []parity.Declared{
			{Resources: []parity.AddressMatcher{addressIs{"aws_x.sized"}}, Attributes: []parity.PathMatcher{pathIs("size"), pathIs("input.size")}},
			// Matches production's literal address only: the declaration
			// applies to the matched resource as a whole.
			{Resources: []parity.AddressMatcher{addressIs{`module.m["production"].aws_x.mod`}}, Attributes: []parity.PathMatcher{pathIs("size")}},
			{Resources: []parity.AddressMatcher{addressIs{"aws_x.sized"}}, Attributes: []parity.PathMatcher{pathIs("input")}},
		},
		OnlyIn: []parity.OnlyIn{
			{Env: "production", Resources: []parity.AddressMatcher{addressIs{"aws_x.shield"}}},
			{Env: "staging", Resources: []parity.AddressMatcher{addressIs{`aws_x.nothing`}}},
			// Canonical addresses match too.
			{Env: "dev", Resources: []parity.AddressMatcher{addressIs{`module.m["${env}"].aws_x.mod`}}},
		},
	}
	f := build(t, opts)
	if got := paths(resource(t, f, "aws_x.sized")); !slices.Equal(got, []string{"name"}) {
		t.Errorf("sized: paths %v, want only name", got)
	}
	if got := paths(resource(t, f, "aws_x.other")); !slices.Equal(got, []string{"size"}) {
		t.Errorf("other: paths %v: a declaration for one resource must not hide another's", got)
	}
	if got := paths(resource(t, f, `module.m["${env}"].aws_x.mod`)); len(got) != 0 {
		t.Errorf("module resource: paths %v", got)
	}
	if got := resource(t, f, "aws_x.shield").OnlyIn; !slices.Equal(got, []string{"production"}) {
		t.Errorf("shield only_in %v", got)
	}
	if got := resource(t, f, `module.m["${env}"].aws_x.mod`).OnlyIn; !slices.Equal(got, []string{"dev"}) {
		t.Errorf("module resource only_in %v", got)
	}
	if got := resource(t, f, "aws_x.other").OnlyIn; got == nil || len(got) != 0 {
		t.Errorf("other only_in %#v, want empty and non-nil", got)
	}
	shield := resource(t, f, "aws_x.shield")
	if shield.Envs[0].Now || shield.Envs[0].After || !shield.Envs[1].Now || shield.Address != "aws_x.shield" {
		t.Errorf("shield envs %+v", shield.Envs)
	}

	// Two only_in blocks naming the same resource both count.
	opts.OnlyIn = append(opts.OnlyIn, parity.OnlyIn{Env: "staging", Resources: []parity.AddressMatcher{addressIs{"aws_x.shield"}}})
	f = build(t, opts)
	if got := resource(t, f, "aws_x.shield").OnlyIn; !slices.Equal(got, []string{"production", "staging"}) {
		t.Errorf("shield only_in %v", got)
	}
}

func TestUnknown(t *testing.T) {
	staging := snap(
		withUnknown(planned("aws_x.a", vals{"v": "1", "out": "o1"}, vals{"v": "2"}, "update"), vals{"out": true}),
		withUnknown(planned("aws_x.new", nil, vals{}, "create"), true),
		withUnknown(planned("aws_x.idle", vals{"out": "o"}, vals{}), vals{"out": true}),
		withUnknown(planned("aws_x.partial", nil, vals{"v": "1"}, "create"), vals{"out": true}),
	)
	production := snap(
		res("aws_x.a", vals{"v": "1", "out": "o2"}),
		res("aws_x.new", vals{"v": "1", "out": "x"}),
		res("aws_x.idle", vals{"out": "p"}),
		res("aws_x.partial", vals{"v": "1", "out": "x"}),
	)
	f := pair(t, staging, production)

	a := resource(t, f, "aws_x.a")
	out := attr(t, a, "out")
	if out.DiffersAfter || !out.DiffersNow || !slices.Equal(out.Unknown, []string{"staging"}) || !slices.Equal(out.Changed, []string{"staging"}) {
		t.Errorf("out: %+v", out)
	}
	if out.After["staging"] != parity.UnknownText || out.After["production"] != "o2" || out.Now["staging"] != "o1" {
		t.Errorf("out values now %v after %v", out.Now, out.After)
	}
	v := attr(t, a, "v")
	if v.DiffersNow || !v.DiffersAfter || len(v.Unknown) != 0 || !slices.Equal(v.Changed, []string{"staging"}) {
		t.Errorf("v: %+v", v)
	}

	// A create whose after is entirely unknown differs from nothing, but
	// every path it touches is listed as changed and unknown.
	n := resource(t, f, "aws_x.new")
	for _, a := range n.Attributes {
		if a.DiffersAfter || a.DiffersNow || !slices.Equal(a.Unknown, []string{"staging"}) || !slices.Equal(a.Changed, []string{"staging"}) {
			t.Errorf("new %s: %+v", a.Path, a)
		}
		if _, ok := a.Now["staging"]; ok {
			t.Errorf("new %s: staging has no current object but shows %v", a.Path, a.Now["staging"])
		}
	}
	if n.Envs[0].Now || !n.Envs[0].After || n.Envs[0].Action != "create" {
		t.Errorf("new envs %+v", n.Envs)
	}

	partial := resource(t, f, "aws_x.partial")
	if got := paths(partial); !slices.Equal(got, []string{"out"}) {
		t.Fatalf("partial: paths %v, want only the unknown out", got)
	}
	if o := attr(t, partial, "out"); o.DiffersAfter || o.DiffersNow || !slices.Equal(o.Unknown, []string{"staging"}) ||
		!slices.Equal(o.Changed, []string{"staging"}) || o.After["staging"] != parity.UnknownText || o.Now["production"] != "x" {
		t.Errorf("partial out: %+v", o)
	}

	// Unknown and unchanged (no plan action) is not worth an attribute; the
	// current values still differ.
	idle := resource(t, f, "aws_x.idle")
	if got := paths(idle); !slices.Equal(got, []string{"out"}) || attr(t, idle, "out").DiffersAfter || !attr(t, idle, "out").DiffersNow {
		t.Errorf("idle: %v", mustJSON(t, idle.Attributes))
	}
}

func TestSensitive(t *testing.T) {
	f := pair(t,
		snap(res("aws_x.a", vals{
			"password": sens("aaaa"), "token": sens("t1"), "plain_vs_secret": "visible",
			"list": []any{sens("aaaa"), "x"}, "same": sens("cccc"),
		})),
		snap(res("aws_x.a", vals{
			"password": sens("bbbb"), "token": "hunter2", "plain_vs_secret": sens("dddd"),
			"list": []any{sens("bbbb")}, "same": sens("cccc"),
		})))
	r := resource(t, f, "aws_x.a")
	if got, want := paths(r), []string{"list", "plain_vs_secret", "token"}; !slices.Equal(got, want) {
		t.Fatalf("paths %v, want %v", got, want)
	}
	list := attr(t, r, "list")
	if !json.Valid([]byte(mustJSON(t, list))) || !slices.Equal(list.Now["staging"].([]any), []any{parity.SensitiveText, "x"}) ||
		!slices.Equal(list.Now["production"].([]any), []any{parity.SensitiveText}) {
		t.Errorf("list: now %#v", list.Now)
	}
	if v := attr(t, r, "token").Now["staging"]; v != parity.SensitiveText {
		t.Errorf("token staging = %#v, want %q", v, parity.SensitiveText)
	}
	if v := attr(t, r, "plain_vs_secret").After["production"]; v != parity.SensitiveText {
		t.Errorf("plain_vs_secret production = %#v", v)
	}
	j := mustJSON(t, f)
	for _, h := range []string{"aaaa", "bbbb", "dddd", "t1"} {
		if strings.Contains(j, h) {
			t.Errorf("facts show the sensitive hash %q", h)
		}
	}
}

func TestLeafEquality(t *testing.T) {
	empties := []any{nil, "", []any{}, vals{}}
	for i, a := range empties {
		for j, b := range empties {
			f := pair(t, snap(res("aws_x.a", vals{"v": a})), snap(res("aws_x.a", vals{"v": b})))
			if got := paths(resource(t, f, "aws_x.a")); len(got) != 0 {
				t.Errorf("%#v vs %#v: paths %v", empties[i], empties[j], got)
			}
		}
		f := pair(t, snap(res("aws_x.a", vals{"v": a})), snap(res("aws_x.a", vals{})))
		if got := paths(resource(t, f, "aws_x.a")); len(got) != 0 {
			t.Errorf("%#v vs absent: paths %v", a, got)
		}
	}
	tests := []struct {
		name    string
		a, b    any
		differs []string
	}{
		{"1 vs 1.0", num("1"), num("1.0"), nil},
		{"100 vs 1e2", num("100"), num("1e2"), nil},
		{"1 vs 2", num("1"), num("2"), []string{"v"}},
		{"big integers stay exact", num("12345678901234567890"), num("12345678901234567891"), []string{"v"}},
		{"number vs string", num("1"), "1", []string{"v"}},
		{"bool vs string", true, "true", []string{"v"}},
		{"bools", true, false, []string{"v"}},
		{"equal bools", false, false, nil},
		{"empty vs value", "", "x", []string{"v"}},
		{"null vs false", nil, false, []string{"v"}},
		{"list lengths", []any{"a"}, []any{"a", "b"}, []string{"v"}},
		{"list element", []any{"a", "b"}, []any{"a", "c"}, []string{"v.1"}},
		{"empty list vs list", []any{}, []any{"a"}, []string{"v"}},
		{"map key", vals{"k": "1"}, vals{"k": "2", "l": "3"}, []string{"v.k", "v.l"}},
		{"map vs list", vals{"k": "1"}, []any{"1"}, []string{"v"}},
		{"map vs string", vals{"k": "1"}, "x", []string{"v"}},
		{"nested numbers", []any{vals{"n": num("5")}}, []any{vals{"n": num("5.0")}}, nil},
		{"mismatched shapes with tokens", []any{"net-staging", vals{"n": num("1")}}, vals{"x": "net-production"}, []string{"v"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := pair(t, snap(res("aws_x.a", vals{"v": tt.a})), snap(res("aws_x.a", vals{"v": tt.b})))
			want := tt.differs
			if want == nil {
				want = []string{}
			}
			if got := paths(resource(t, f, "aws_x.a")); !slices.Equal(got, want) {
				t.Errorf("paths %v, want %v", got, want)
			}
		})
	}
	t.Run("list length difference shows whole lists", func(t *testing.T) {
		f := pair(t, snap(res("aws_x.a", vals{"v": []any{"a"}})), snap(res("aws_x.a", vals{"v": []any{"a", "b"}})))
		a := attr(t, resource(t, f, "aws_x.a"), "v")
		if !slices.Equal(a.Now["staging"].([]any), []any{"a"}) || !slices.Equal(a.After["production"].([]any), []any{"a", "b"}) {
			t.Errorf("now %v after %v", a.Now, a.After)
		}
	})
}

func TestChangedSets(t *testing.T) {
	staging := snap(
		planned("aws_x.upd", vals{"size": "small", "ver": "14", "tags": vals{"a": "1", "b": "1"}}, vals{"size": "small", "ver": "15", "tags": vals{"a": "1", "b": "2"}}, "update"),
		planned("aws_x.new", nil, vals{"size": "small", "ver": "15"}, "create"),
		planned("aws_x.del", vals{"size": "small", "ver": "14"}, nil, "delete"),
		planned("aws_x.rep", vals{"size": "small", "ver": "14"}, vals{"size": "small", "ver": "15"}, "delete", "create"),
		planned("aws_x.noop", vals{"size": "small"}, vals{"size": "small"}, "no-op"),
	)
	production := snap(
		res("aws_x.upd", vals{"size": "large", "ver": "14", "tags": vals{"a": "2", "b": "1"}}),
		res("aws_x.new", vals{"size": "large", "ver": "14"}),
		res("aws_x.del", vals{"size": "large", "ver": "14"}),
		res("aws_x.rep", vals{"size": "large", "ver": "14"}),
		res("aws_x.noop", vals{"size": "large"}),
	)
	f := pair(t, staging, production)

	type want struct {
		now, after bool
		changed    []string
	}
	check := func(canonical string, wants map[string]want) {
		t.Helper()
		r := resource(t, f, canonical)
		if len(r.Attributes) != len(wants) {
			t.Errorf("%s: paths %v, want %d", canonical, paths(r), len(wants))
		}
		for p, w := range wants {
			a := attr(t, r, p)
			if a.DiffersNow != w.now || a.DiffersAfter != w.after || !slices.Equal(a.Changed, w.changed) {
				t.Errorf("%s %s: now %v after %v changed %v, want %+v", canonical, p, a.DiffersNow, a.DiffersAfter, a.Changed, w)
			}
		}
	}
	none := []string{}
	stg := []string{"staging"}
	check("aws_x.upd", map[string]want{
		"size":   {true, true, none},
		"ver":    {false, true, stg},
		"tags.a": {true, true, none},
		"tags.b": {false, true, stg},
	})
	check("aws_x.new", map[string]want{"size": {false, true, stg}, "ver": {false, true, stg}})
	// A deletion is a resource-level change, not an attribute's.
	check("aws_x.del", map[string]want{"size": {true, false, none}})
	check("aws_x.rep", map[string]want{"size": {true, true, none}, "ver": {false, true, stg}})
	check("aws_x.noop", map[string]want{"size": {true, true, none}})

	del := resource(t, f, "aws_x.del")
	if e := del.Envs[0]; !e.Now || e.After || e.Action != "delete" || !slices.Equal(e.Actions, []string{"delete"}) {
		t.Errorf("del staging %+v", e)
	}
	if e := del.Envs[1]; !e.Now || !e.After || e.Action != "" || e.Actions == nil || len(e.Actions) != 0 {
		t.Errorf("del production %+v: a state has no action", e)
	}
	if a := attr(t, del, "size"); len(a.After) != 1 || a.After["production"] != "large" {
		t.Errorf("del size after %v: only production exists after", a.After)
	}
	if e := resource(t, f, "aws_x.rep").Envs[0]; e.Action != "replace" {
		t.Errorf("rep action %q", e.Action)
	}
}

func TestPromotion(t *testing.T) {
	stagingNow := vals{"ver": "14", "size": "small", "password": sens("s1")}
	tests := []struct {
		name        string
		staging     *snapshot.Resource // nil: staging lacks the resource
		production  *snapshot.Resource
		target      string
		want        *parity.Promotion
		wantDiffers bool
	}{
		{
			name:       "target updates a path previous lacks",
			staging:    res("aws_x.a", vals{"ver": "14", "size": "small", "password": sens("s1")}),
			production: planned("aws_x.a", vals{"ver": "14", "size": "large", "password": sens("p1")}, vals{"ver": "15", "size": "large", "password": sens("p2")}, "update"),
			target:     "production",
			want: &parity.Promotion{Previous: "staging", PreviousHas: true, Action: "update",
				Paths: []parity.PromotionPath{{Path: "ver", Target: "15", Previous: "14"}}},
		},
		{
			name:       "previous already has it",
			staging:    res("aws_x.a", vals{"ver": "15", "size": "small"}),
			production: planned("aws_x.a", vals{"ver": "14", "size": "large"}, vals{"ver": "15", "size": "large"}, "update"),
			target:     "production",
			want:       &parity.Promotion{Previous: "staging", PreviousHas: true, Action: "update", Paths: []parity.PromotionPath{}},
		},
		{
			name:       "secret made plain",
			staging:    res("aws_x.a", stagingNow),
			production: planned("aws_x.a", vals{"ver": "14", "password": sens("p1")}, vals{"ver": "14", "password": "plain"}, "update"),
			target:     "production",
			want: &parity.Promotion{Previous: "staging", PreviousHas: true, Action: "update",
				Paths: []parity.PromotionPath{{Path: "password", Target: "plain", Previous: parity.SensitiveText}}},
		},
		{
			name:       "target creates what previous lacks",
			production: planned("aws_x.a", nil, vals{"ver": "15"}, "create"),
			target:     "production",
			want:       &parity.Promotion{Previous: "staging", PreviousHas: false, Action: "create", Paths: []parity.PromotionPath{}},
		},
		{
			name:       "target creates what previous has",
			staging:    res("aws_x.a", vals{"ver": "14", "size": "small"}),
			production: planned("aws_x.a", nil, vals{"ver": "15", "size": "small"}, "create"),
			target:     "production",
			want: &parity.Promotion{Previous: "staging", PreviousHas: true, Action: "create",
				Paths: []parity.PromotionPath{{Path: "ver", Target: "15", Previous: "14"}}},
		},
		{
			name:       "target deletes",
			staging:    res("aws_x.a", vals{"ver": "14"}),
			production: planned("aws_x.a", vals{"ver": "14"}, nil, "delete"),
			target:     "production",
			want:       &parity.Promotion{Previous: "staging", PreviousHas: true, Action: "delete", Paths: []parity.PromotionPath{}},
		},
		{
			name:       "unknown target value is no path",
			staging:    res("aws_x.a", vals{"ver": "14", "out": "x"}),
			production: withUnknown(planned("aws_x.a", vals{"ver": "14", "out": "y"}, vals{"ver": "15"}, "update"), vals{"out": true}),
			target:     "production",
			want: &parity.Promotion{Previous: "staging", PreviousHas: true, Action: "update",
				Paths: []parity.PromotionPath{{Path: "ver", Target: "15", Previous: "14"}}},
		},
		{
			name:       "no-op target",
			staging:    res("aws_x.a", vals{"ver": "14"}),
			production: planned("aws_x.a", vals{"ver": "15"}, vals{"ver": "15"}, "no-op"),
			target:     "production",
		},
		{
			name:       "target first in the chain",
			staging:    planned("aws_x.a", vals{"ver": "14"}, vals{"ver": "15"}, "update"),
			production: res("aws_x.a", vals{"ver": "14"}),
			target:     "staging",
		},
		{
			name:       "no target",
			staging:    res("aws_x.a", vals{"ver": "14"}),
			production: planned("aws_x.a", vals{"ver": "14"}, vals{"ver": "15"}, "update"),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			staging := snap()
			if tt.staging != nil {
				staging = snap(tt.staging)
			}
			f := build(t, parity.Options{
				Envs:   []parity.Env{env("staging", staging), env("production", snap(tt.production))},
				Target: tt.target,
			})
			if f.Target != tt.target {
				t.Errorf("Target = %q", f.Target)
			}
			wantPrev := ""
			if tt.target == "production" {
				wantPrev = "staging"
			}
			if f.Previous != wantPrev {
				t.Errorf("Previous = %q, want %q", f.Previous, wantPrev)
			}
			got := resource(t, f, "aws_x.a").Promotion
			if mustJSON(t, got) != mustJSON(t, tt.want) {
				t.Errorf("promotion\n%s\nwant\n%s", mustJSON(t, got), mustJSON(t, tt.want))
			}
		})
	}
}

func TestThreeEnvironments(t *testing.T) {
	dev := snap(
		res("aws_x.a", vals{"name": "a-dev", "ver": "16"}),
		res("aws_x.b", vals{"v": "1"}),
	)
	staging := snap(
		res("aws_x.a", vals{"name": "a-staging", "ver": "15"}),
	)
	production := snap(
		planned("aws_x.a", vals{"name": "a-production", "ver": "14"}, vals{"name": "a-production", "ver": "16"}, "update"),
		planned("aws_x.b", vals{"v": "1"}, vals{"v": "2"}, "update"),
	)
	f := build(t, parity.Options{
		Envs:   []parity.Env{env("dev", dev, "development"), env("staging", staging, "stg"), env("production", production, "prod")},
		Target: "production",
	})
	if !slices.Equal(f.Environments, []string{"dev", "staging", "production"}) || f.Previous != "staging" {
		t.Fatalf("environments %v previous %q", f.Environments, f.Previous)
	}
	a := resource(t, f, "aws_x.a")
	if got := paths(a); !slices.Equal(got, []string{"ver"}) {
		t.Fatalf("paths %v", got)
	}
	ver := attr(t, a, "ver")
	if len(ver.Now) != 3 || ver.Now["dev"] != "16" || ver.Now["staging"] != "15" || ver.Now["production"] != "14" || !slices.Equal(ver.Changed, []string{"production"}) {
		t.Errorf("ver %+v", ver)
	}
	if p := a.Promotion; p == nil || p.Previous != "staging" || !p.PreviousHas || len(p.Paths) != 1 || p.Paths[0].Previous != "15" || p.Paths[0].Target != "16" {
		t.Errorf("promotion %s", mustJSON(t, a.Promotion))
	}
	o := resource(t, f, "aws_x.b")
	if len(o.Envs) != 3 || !o.Envs[0].Now || o.Envs[1].Now || o.Envs[1].Env != "staging" || !o.Envs[2].Now {
		t.Errorf("envs %+v", o.Envs)
	}
	if p := o.Promotion; p == nil || p.PreviousHas || p.Previous != "staging" {
		t.Errorf("promotion %s: staging lacks it, so previous_has is false even though dev has it", mustJSON(t, p))
	}
	if got := paths(o); !slices.Equal(got, []string{"v"}) {
		t.Errorf("b paths %v", got)
	}
	if v := attr(t, o, "v"); v.DiffersNow || !v.DiffersAfter || len(v.Now) != 2 {
		t.Errorf("v %+v", v)
	}
}

func TestSingleEnvironment(t *testing.T) {
	f := build(t, parity.Options{Envs: []parity.Env{env("staging", snap(planned("aws_x.a", vals{"v": "1"}, vals{"v": "2"}, "update")))}})
	r := resource(t, f, "aws_x.a")
	if len(r.Attributes) != 0 || r.Promotion != nil || len(r.Envs) != 1 {
		t.Errorf("one environment: %s", mustJSON(t, r))
	}
}

func TestFactsJSONShape(t *testing.T) {
	f := pair(t, snap(res("aws_x.a", vals{"v": "1"})), snap())
	var doc map[string]any
	if err := json.Unmarshal([]byte(mustJSON(t, f)), &doc); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"environments", "target", "previous", "resources"} {
		if _, ok := doc[k]; !ok {
			t.Errorf("facts JSON lacks %q", k)
		}
	}
	r := doc["resources"].([]any)[0].(map[string]any)
	for _, k := range []string{"address", "canonical", "type", "only_in", "environments", "attributes"} {
		if v, ok := r[k]; !ok || v == nil {
			t.Errorf("resource JSON lacks %q or it is null", k)
		}
	}
	if _, ok := r["promotion"]; ok {
		t.Error("promotion should be omitted without a target")
	}
}

// TestChangedLeaves: which leaf changes count as changes of the plan.
func TestChangedLeaves(t *testing.T) {
	before := vals{
		"n": num("1"), "b": true, "s": sens("h1"), "same_secret": sens("h2"), "str": "x",
		"l": []any{"a", "b"}, "grow": []any{"a"}, "obj": vals{"k": "v"}, "empty": "", "u": []any{"a", "b"},
	}
	after := vals{
		"n": num("1.0"), "b": false, "s": sens("h9"), "same_secret": sens("h2"), "str": "x",
		"l": []any{"a", "c"}, "grow": []any{"a", "b"}, "obj": vals{"k": "v"}, "empty": nil, "u": []any{"a", nil},
	}
	staging := snap(withUnknown(planned("aws_x.a", before, after, "update"), vals{"u": []any{false, true}}))
	// Production differs everywhere, so every path is an attribute and
	// Changed shows what staging's plan changes.
	production := snap(res("aws_x.a", vals{
		"n": num("5"), "b": "p", "s": "plain", "same_secret": "plain", "str": "y",
		"l": []any{"p", "p"}, "grow": []any{"p", "p", "p"}, "obj": vals{"k": "p"}, "empty": "p", "u": []any{"p", "p"},
	}))
	f := pair(t, staging, production)
	r := resource(t, f, "aws_x.a")
	changed := map[string]bool{}
	for _, a := range r.Attributes {
		if slices.Equal(a.Changed, []string{"staging"}) {
			changed[a.Path] = true
		}
	}
	for p, want := range map[string]bool{
		"n": false, "b": true, "s": true, "same_secret": false, "str": false,
		"l.0": false, "l.1": true, "grow": true, "obj.k": false, "empty": false, "u.0": false, "u.1": true,
	} {
		if changed[p] != want {
			t.Errorf("%s changed = %v, want %v (attributes %v)", p, changed[p], want, paths(r))
		}
	}
	u := attr(t, r, "u.1")
	if !slices.Equal(u.Unknown, []string{"staging"}) || u.After["staging"] != parity.UnknownText || u.DiffersAfter || !u.DiffersNow {
		t.Errorf("u.1: %+v", u)
	}
}
