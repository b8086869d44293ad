package parity_test

import (
	"slices"
	"testing"

	"github.com/lockstep-iac/lockstep/parity"
	"github.com/lockstep-iac/lockstep/snapshot"
)

// TestEnvironmentTokens: values that name another environment (its name or
// an alias as a whole word) are references to it, whatever normalisation
// does to them for comparing.
func TestEnvironmentTokens(t *testing.T) {
	tok := func(env, path, value, owner, token string, planned bool) parity.Reference {
		return parity.Reference{Env: env, Address: "aws_instance.app", Path: path, Value: value, Planned: planned,
			Owner: parity.Owner{Env: owner}, Token: token}
	}
	app := func(v vals) *snapshot.Resource { return res("aws_instance.app", v) }
	tests := []struct {
		name                string
		staging, production *snapshot.Resource
		want                []parity.Reference
	}{
		{"suffix in a URL", app(vals{"queue_url": "https://sqs/orders-staging"}), app(vals{"queue_url": "https://sqs/orders-production"}),
			nil},
		{"production names staging, staging names itself",
			app(vals{"queue_url": "https://sqs/orders-staging"}), app(vals{"queue_url": "https://sqs/orders-staging"}),
			[]parity.Reference{tok("production", "queue_url", "https://sqs/orders-staging", "staging", "staging", false)}},
		{"upper case in a nested map",
			app(vals{"env": vals{"DB_HOST": "db.internal"}}), app(vals{"env": vals{"DB_HOST": "DB-STAGING.internal"}}),
			[]parity.Reference{tok("production", "env.DB_HOST", "DB-STAGING.internal", "staging", "staging", false)}},
		{"prefix in a list",
			app(vals{"dlq": []any{"a-dlq"}}), app(vals{"dlq": []any{"x", "staging_orders"}}),
			[]parity.Reference{tok("production", "dlq.1", "staging_orders", "staging", "staging", false)}},
		{"staging names production by its alias",
			app(vals{"tags": vals{"Replica": "reports-prod-replica"}}), app(vals{"tags": vals{"Replica": "reports-primary"}}),
			[]parity.Reference{tok("staging", "tags.Replica", "reports-prod-replica", "production", "prod", false)}},
		{"the resource's own name", app(vals{"name": "orders"}), app(vals{"name": "orders-staging"}),
			[]parity.Reference{tok("production", "name", "orders-staging", "staging", "staging", false)}},
		{"in a JSON-encoded policy",
			app(vals{"policy": `{"Resource":"arn:aws:s3:::assets-stg/*"}`}), app(vals{"policy": `{"Resource":"arn:aws:s3:::assets-staging/*"}`}),
			[]parity.Reference{tok("production", "policy", `{"Resource":"arn:aws:s3:::assets-staging/*"}`, "staging", "staging", false)}},
		{"only the plan sets it",
			res("aws_instance.app", vals{"u": "a"}),
			planned("aws_instance.app", vals{"u": "a"}, vals{"u": "svc.staging.internal"}, "update"),
			[]parity.Reference{tok("production", "u", "svc.staging.internal", "staging", "staging", true)}},
		// Not references.
		{"a word that contains a token", app(vals{"u": "https://products.example.com"}), app(vals{"u": "https://products.example.com/prodigy"}), nil},
		{"a literal naming the later environment, shared",
			app(vals{"log_bucket": "central-logs-prod-archive"}), app(vals{"log_bucket": "central-logs-prod-archive"}), nil},
		{"a value naming both environments", app(vals{"peer": "staging-to-prod"}), app(vals{"peer": "staging-to-prod"}), nil},
		{"identifiers and timestamps are not read", app(vals{"arn": "x"}), app(vals{"arn": "arn:aws:sqs:orders-staging", "id": "orders-staging"}), nil},
		{"a map key is no value", app(vals{"env": vals{"STAGING_URL": "x"}}), app(vals{"env": vals{"STAGING_URL": "x"}}), nil},
		{"free text", app(vals{"description": "x"}), app(vals{"description": "Copied from staging", "tags": vals{"Comment": "as in staging"}}), nil},
		// A secret: its tokens come from the parser, its value never.
		{"a secret naming staging",
			app(vals{"token": snapshot.Sensitive{Hash: "a", Tokens: "staging"}}), app(vals{"token": snapshot.Sensitive{Hash: "b", Tokens: "staging"}}),
			[]parity.Reference{tok("production", "token", "(sensitive)", "staging", "staging", false)}},
		{"the same secret naming the later environment",
			app(vals{"token": snapshot.Sensitive{Hash: "a", Tokens: "prod"}}), app(vals{"token": snapshot.Sensitive{Hash: "a", Tokens: "prod"}}), nil},
		{"the same secret naming the earlier environment",
			app(vals{"token": snapshot.Sensitive{Hash: "a", Tokens: "staging"}}), app(vals{"token": snapshot.Sensitive{Hash: "a", Tokens: "staging"}}),
			[]parity.Reference{tok("production", "token", "(sensitive)", "staging", "staging", false)}},
		{"a secret naming its own environment too",
			app(vals{"token": sens("a")}), app(vals{"token": snapshot.Sensitive{Hash: "b", Tokens: "staging production"}}), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := pair(t, snap(tt.staging), snap(tt.production))
			want := tt.want
			if want == nil {
				want = []parity.Reference{}
			}
			if got := allReferences(f); mustJSON(t, got) != mustJSON(t, want) {
				t.Errorf("references\n%s\nwant\n%s", mustJSON(t, got), mustJSON(t, want))
			}
		})
	}
}

// TestEmbeddedIdentifiers: another environment's identifier as one token
// of a longer string is a reference, reported with that token.
func TestEmbeddedIdentifiers(t *testing.T) {
	stagingNet := res("aws_subnet.main", vals{"id": stgSubnetID, "arn": stgSubnetARN})
	productionNet := res("aws_subnet.main", vals{"id": prdSubnetID, "arn": prdSubnetARN})
	emb := func(path, value, attr string) parity.Reference {
		return parity.Reference{Env: "production", Address: "aws_instance.app", Path: path, Value: value,
			Owner: parity.Owner{Env: "staging", Address: "aws_subnet.main", Attribute: attr}, Embedded: true}
	}
	tests := []struct {
		name  string
		value string
		want  []parity.Reference
	}{
		{"in a URL path", "https://api.internal/subnets/" + stgSubnetID + "/routes", []parity.Reference{emb("v", stgSubnetID, "id")}},
		{"in a JSON list", `[{"name":"SUBNET","value":"` + stgSubnetID + `"}]`, []parity.Reference{emb("v", stgSubnetID, "id")}},
		{"in a connection string", "host=db port=5432;subnet=" + stgSubnetID, []parity.Reference{emb("v", stgSubnetID, "id")}},
		{"after an at sign", "mesh@" + stgSubnetID, []parity.Reference{emb("v", stgSubnetID, "id")}},
		{"a whole ARN in a JSON policy", `{"Resource":["` + stgSubnetARN + `"]}`, []parity.Reference{emb("v", stgSubnetARN, "arn")}},
		{"its own id", "https://api.internal/subnets/" + prdSubnetID, nil},
		{"its own and staging's: staging's is reported", prdSubnetID + "," + stgSubnetID, []parity.Reference{emb("v", stgSubnetID, "id")}},
		{"an id inside a word is no token", "https://api.internal/x" + stgSubnetID, nil},
		{"short tokens are not looked up", "a/b/c:d", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := pair(t, snap(stagingNet, res("aws_instance.app", vals{"v": "x"})), snap(productionNet, res("aws_instance.app", vals{"v": tt.value})))
			want := tt.want
			if want == nil {
				want = []parity.Reference{}
			}
			if got := allReferences(f); mustJSON(t, got) != mustJSON(t, want) {
				t.Errorf("references\n%s\nwant\n%s", mustJSON(t, got), mustJSON(t, want))
			}
		})
	}
}

// TestReferenceSets: lists whose elements all identify resources of their
// own environment are compared as sets of those resources, and the facts
// say which resources each environment's set points at.
func TestReferenceSets(t *testing.T) {
	groups := func(prefix string) []*snapshot.Resource {
		return []*snapshot.Resource{
			res("aws_security_group.web", vals{"id": "sg-" + prefix + "-web-01"}),
			res("aws_security_group.monitoring", vals{"id": "sg-" + prefix + "-mon-01"}),
			res("aws_security_group.db", vals{"id": "sg-" + prefix + "-db-001"}),
		}
	}
	tests := []struct {
		name                string
		staging, production []any
		differs             bool
		refs                map[string][]string
	}{
		{"the same set in another order", []any{"sg-stg-mon-01", "sg-stg-web-01"}, []any{"sg-prd-web-01", "sg-prd-mon-01"}, false, nil},
		{"production lacks one", []any{"sg-stg-mon-01", "sg-stg-web-01"}, []any{"sg-prd-web-01"}, true, map[string][]string{
			"staging":    {"aws_security_group.monitoring", "aws_security_group.web"},
			"production": {"aws_security_group.web"},
		}},
		{"one instead of another", []any{"sg-stg-mon-01", "sg-stg-web-01"}, []any{"sg-prd-web-01", "sg-prd-db-001"}, true, map[string][]string{
			"staging":    {"aws_security_group.monitoring", "aws_security_group.web"},
			"production": {"aws_security_group.db", "aws_security_group.web"},
		}},
		{"empty in production", []any{"sg-stg-mon-01"}, []any{}, true, map[string][]string{
			"staging":    {"aws_security_group.monitoring"},
			"production": {},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, path := range []string{"vpc_security_group_ids", "ingress.0.security_groups"} {
				nest := func(v []any) vals {
					if path == "vpc_security_group_ids" {
						return vals{"vpc_security_group_ids": v}
					}
					return vals{"ingress": []any{vals{"security_groups": v}}}
				}
				f := pair(t,
					snap(append(groups("stg"), res("aws_instance.app", nest(tt.staging)))...),
					snap(append(groups("prd"), res("aws_instance.app", nest(tt.production)))...))
				r := resource(t, f, "aws_instance.app")
				if !tt.differs {
					if len(r.Attributes) != 0 {
						t.Errorf("%s: differing paths %v, want none", path, paths(r))
					}
					continue
				}
				if got := paths(r); len(got) != 1 || got[0] != path {
					t.Fatalf("%s: differing paths %v, want [%s]", path, got, path)
				}
				a := r.Attributes[0]
				if a.References == nil || mustJSON(t, a.References.Now) != mustJSON(t, tt.refs) {
					t.Errorf("%s: references %s, want now %s", path, mustJSON(t, a.References), mustJSON(t, tt.refs))
				}
			}
		})
	}
	// A list that is not all references is compared by position.
	f := pair(t,
		snap(append(groups("stg"), res("aws_instance.app", vals{"l": []any{"sg-stg-web-01", "other-value"}}))...),
		snap(append(groups("prd"), res("aws_instance.app", vals{"l": []any{"other-value", "sg-prd-web-01"}}))...))
	if got := paths(resource(t, f, "aws_instance.app")); !slices.Equal(got, []string{"l.0", "l.1"}) {
		t.Errorf("mixed list: differing paths %v, want [l.0 l.1]", got)
	}
}
