package parity_test

import (
	"strings"
	"testing"

	"github.com/lockstep-iac/lockstep/parity"
	"github.com/lockstep-iac/lockstep/snapshot"
)

// allReferences concatenates the references of every resource, in the
// order of the facts (canonical address).
func allReferences(f *parity.Facts) []parity.Reference {
	out := []parity.Reference{}
	for _, r := range f.Resources {
		out = append(out, r.References...)
	}
	return out
}

// Identifiers of the two environments' subnets.
const (
	stgSubnetID  = "subnet-stg-0001"
	stgSubnetARN = "arn:aws:ec2:eu-west-1:111111111111:subnet/subnet-stg-0001"
	prdSubnetID  = "subnet-prd-0001"
	prdSubnetARN = "arn:aws:ec2:eu-west-1:222222222222:subnet/subnet-prd-0001"
)

// TestReferences: values of one environment that identify a resource of
// another environment and none of its own.
func TestReferences(t *testing.T) {
	stagingNet := res("aws_subnet.main", vals{"id": stgSubnetID, "arn": stgSubnetARN})
	productionNet := res("aws_subnet.main", vals{"id": prdSubnetID, "arn": prdSubnetARN})
	toStagingID := parity.Owner{Env: "staging", Address: "aws_subnet.main", Attribute: "id"}
	ref := func(env, path, value string, planned bool, o parity.Owner) parity.Reference {
		return parity.Reference{Env: env, Address: "aws_instance.app", Path: path, Value: value, Planned: planned, Owner: o}
	}
	tests := []struct {
		name                string
		staging, production []*snapshot.Resource
		want                []parity.Reference
	}{
		{
			name:       "production holds staging's subnet id",
			staging:    []*snapshot.Resource{stagingNet, res("aws_instance.app", vals{"subnet_id": stgSubnetID})},
			production: []*snapshot.Resource{productionNet, res("aws_instance.app", vals{"subnet_id": stgSubnetID})},
			want:       []parity.Reference{ref("production", "subnet_id", stgSubnetID, false, toStagingID)},
		},
		{
			name:       "each holds its own subnet id",
			staging:    []*snapshot.Resource{stagingNet, res("aws_instance.app", vals{"subnet_id": stgSubnetID})},
			production: []*snapshot.Resource{productionNet, res("aws_instance.app", vals{"subnet_id": prdSubnetID})},
		},
		{
			name:       "staging holds production's arn",
			staging:    []*snapshot.Resource{stagingNet, res("aws_instance.app", vals{"subnet_arn": prdSubnetARN})},
			production: []*snapshot.Resource{productionNet},
			want: []parity.Reference{ref("staging", "subnet_arn", prdSubnetARN, false,
				parity.Owner{Env: "production", Address: "aws_subnet.main", Attribute: "arn"})},
		},
		{
			name:    "nested in lists and maps",
			staging: []*snapshot.Resource{stagingNet},
			production: []*snapshot.Resource{productionNet, res("aws_instance.app", vals{
				"network_interface": []any{vals{"config": vals{"subnet": "x"}}, vals{"config": vals{"subnet": stgSubnetID}}},
				"tags":              vals{"peer": stgSubnetARN},
			})},
			want: []parity.Reference{
				ref("production", "network_interface.1.config.subnet", stgSubnetID, false, toStagingID),
				ref("production", "tags.peer", stgSubnetARN, false, parity.Owner{Env: "staging", Address: "aws_subnet.main", Attribute: "arn"}),
			},
		},
		{
			name:    "sorted by path",
			staging: []*snapshot.Resource{stagingNet},
			production: []*snapshot.Resource{productionNet, res("aws_instance.app", vals{
				"z_subnet": stgSubnetID, "a_subnet": stgSubnetID, "m": []any{stgSubnetID},
			})},
			want: []parity.Reference{
				ref("production", "a_subnet", stgSubnetID, false, toStagingID),
				ref("production", "m.0", stgSubnetID, false, toStagingID),
				ref("production", "z_subnet", stgSubnetID, false, toStagingID),
			},
		},
		{
			name:       "the value identifies a resource in both environments",
			staging:    []*snapshot.Resource{res("aws_kms_key.shared", vals{"id": "key-shared-0001"})},
			production: []*snapshot.Resource{res("aws_kms_key.shared", vals{"id": "key-shared-0001"}), res("aws_instance.app", vals{"kms_key_id": "key-shared-0001"})},
		},
		{
			name:    "the value is also an identity of another production resource",
			staging: []*snapshot.Resource{res("aws_vpc.main", vals{"id": "vpc-0abc12345"})},
			production: []*snapshot.Resource{
				res("aws_vpc.peer", vals{"id": "vpc-0abc12345"}),
				res("aws_instance.app", vals{"vpc_id": "vpc-0abc12345"}),
			},
		},
		{
			name:       "short values are not identifiers",
			staging:    []*snapshot.Resource{res("aws_subnet.main", vals{"id": "sub-001"})},
			production: []*snapshot.Resource{res("aws_subnet.main", vals{"id": "sub-002"}), res("aws_instance.app", vals{"subnet_id": "sub-001"})},
		},
		{
			name:       "numbers are not identifiers",
			staging:    []*snapshot.Resource{res("aws_account.main", vals{"id": "12345678"})},
			production: []*snapshot.Resource{res("aws_account.main", vals{"id": "87654321"}), res("aws_instance.app", vals{"account": "12345678"})},
		},
		{
			name:       "plain words are not identifiers",
			staging:    []*snapshot.Resource{res("aws_db.main", vals{"name": "postgresql"})},
			production: []*snapshot.Resource{res("aws_db.main", vals{"name": "PostgreSQLx"}), res("aws_instance.app", vals{"engine": "postgresql"})},
		},
		{
			name:       "identically named buckets",
			staging:    []*snapshot.Resource{res("aws_s3_bucket.logs", vals{"id": "acme-logs-01", "name": "acme-logs-01", "arn": "arn:aws:s3:::acme-logs-01"})},
			production: []*snapshot.Resource{res("aws_s3_bucket.logs", vals{"id": "acme-logs-01", "name": "acme-logs-01", "arn": "arn:aws:s3:::acme-logs-01"})},
		},
		{
			name:       "name-like owner",
			staging:    []*snapshot.Resource{res("google_compute_network.main", vals{"name": "net-staging-01"})},
			production: []*snapshot.Resource{res("google_compute_network.main", vals{"name": "net-production-01"}), res("aws_instance.app", vals{"network": "net-staging-01"})},
			want: []parity.Reference{ref("production", "network", "net-staging-01", false,
				parity.Owner{Env: "staging", Address: "google_compute_network.main", Attribute: "name"})},
		},
		{
			name:       "an owner's id wins over its name (same value)",
			staging:    []*snapshot.Resource{res("google_compute_network.main", vals{"id": "net-staging-01", "name": "net-staging-01"})},
			production: []*snapshot.Resource{res("aws_instance.app", vals{"network": "net-staging-01"})},
			want: []parity.Reference{ref("production", "network", "net-staging-01", false,
				parity.Owner{Env: "staging", Address: "google_compute_network.main", Attribute: "id"})},
		},
		{
			name:       "the plan introduces the reference",
			staging:    []*snapshot.Resource{stagingNet},
			production: []*snapshot.Resource{productionNet, planned("aws_instance.app", vals{"subnet_id": prdSubnetID}, vals{"subnet_id": stgSubnetID}, "update")},
			want:       []parity.Reference{ref("production", "subnet_id", stgSubnetID, true, toStagingID)},
		},
		{
			name:       "the plan creates the referencing resource",
			staging:    []*snapshot.Resource{stagingNet},
			production: []*snapshot.Resource{productionNet, planned("aws_instance.app", nil, vals{"subnet_id": stgSubnetID}, "create")},
			want:       []parity.Reference{ref("production", "subnet_id", stgSubnetID, true, toStagingID)},
		},
		{
			name:    "present now and after: not planned, reported once",
			staging: []*snapshot.Resource{stagingNet},
			production: []*snapshot.Resource{productionNet, planned("aws_instance.app",
				vals{"subnet_id": stgSubnetID, "size": "small"}, vals{"subnet_id": stgSubnetID, "size": "large"}, "update")},
			want: []parity.Reference{ref("production", "subnet_id", stgSubnetID, false, toStagingID)},
		},
		{
			// Current behaviour: a reference the plan removes is still
			// reported, as existing now.
			name:       "the plan removes the reference",
			staging:    []*snapshot.Resource{stagingNet},
			production: []*snapshot.Resource{productionNet, planned("aws_instance.app", vals{"subnet_id": stgSubnetID}, vals{"subnet_id": prdSubnetID}, "update")},
			want:       []parity.Reference{ref("production", "subnet_id", stgSubnetID, false, toStagingID)},
		},
		{
			name:       "a resource the plan deletes",
			staging:    []*snapshot.Resource{stagingNet},
			production: []*snapshot.Resource{productionNet, planned("aws_instance.app", vals{"subnet_id": stgSubnetID}, nil, "delete")},
			want:       []parity.Reference{ref("production", "subnet_id", stgSubnetID, false, toStagingID)},
		},
		{
			name:       "an owner that only the plan gives its identifier",
			staging:    []*snapshot.Resource{planned("aws_subnet.main", vals{"id": stgSubnetID, "name": "old-subnet-01"}, vals{"id": stgSubnetID, "name": "new-subnet-01"}, "update")},
			production: []*snapshot.Resource{productionNet, res("aws_instance.app", vals{"subnet": "new-subnet-01"})},
			want: []parity.Reference{ref("production", "subnet", "new-subnet-01", false,
				parity.Owner{Env: "staging", Address: "aws_subnet.main", Attribute: "name"})},
		},
		{
			name:    "ignored keys are skipped at any depth",
			staging: []*snapshot.Resource{stagingNet},
			production: []*snapshot.Resource{productionNet, res("aws_instance.app", vals{
				"etag": stgSubnetID, "meta": vals{"created_at": stgSubnetID}, "list": []any{vals{"last_modified": stgSubnetID}},
			})},
		},
		{
			name:       "a sensitive value never matches",
			staging:    []*snapshot.Resource{stagingNet},
			production: []*snapshot.Resource{productionNet, res("aws_instance.app", vals{"subnet_id": sens(stgSubnetID), "l": []any{sens(stgSubnetARN)}})},
		},
		{
			name:       "a sensitive identifier owns nothing",
			staging:    []*snapshot.Resource{res("aws_secret.main", vals{"id": sens("secret-stg-0001")})},
			production: []*snapshot.Resource{res("aws_instance.app", vals{"secret": "secret-stg-0001"})},
		},
		{
			name:       "the resource's own top-level identity is not walked",
			staging:    []*snapshot.Resource{stagingNet},
			production: []*snapshot.Resource{res("aws_subnet.main", vals{"id": prdSubnetID, "arn": prdSubnetARN, "self_link": stgSubnetARN})},
		},
		{
			name:       "non-string values are not identifiers",
			staging:    []*snapshot.Resource{stagingNet},
			production: []*snapshot.Resource{productionNet, res("aws_instance.app", vals{"n": num("123456789"), "b": true, "nil": nil})},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := pair(t, snap(tt.staging...), snap(tt.production...))
			want := tt.want
			if want == nil {
				want = []parity.Reference{}
			}
			if got := allReferences(f); mustJSON(t, got) != mustJSON(t, want) {
				t.Errorf("references\n%s\nwant\n%s", mustJSON(t, got), mustJSON(t, want))
			}
			for _, r := range f.Resources {
				if r.References == nil {
					t.Errorf("%s: References is nil, want []", r.Canonical)
				}
			}
		})
	}
}

// TestReferencesThreeEnvironments: a value identifying resources of two
// other environments is one reference per owner environment.
func TestReferencesThreeEnvironments(t *testing.T) {
	dev := snap(
		res("aws_vpc.nonprod", vals{"id": "vpc-nonprod-01"}),
		res("aws_kms_key.main", vals{"id": "key-dev-0001"}),
		res("aws_instance.app", vals{"vpc_id": "vpc-nonprod-01"}),
	)
	staging := snap(
		res("aws_vpc.nonprod", vals{"id": "vpc-nonprod-01"}),
		res("aws_kms_key.main", vals{"id": "key-stg-0001"}),
		res("aws_instance.app", vals{"vpc_id": "vpc-nonprod-01", "kms": "key-dev-0001"}),
	)
	production := snap(
		res("aws_vpc.main", vals{"id": "vpc-prod-01"}),
		res("aws_kms_key.main", vals{"id": "key-prd-0001"}),
		res("aws_instance.app", vals{"vpc_id": "vpc-nonprod-01", "kms": "key-stg-0001", "backup_kms": "key-dev-0001"}),
	)
	f := build(t, parity.Options{Envs: []parity.Env{env("dev", dev), env("staging", staging), env("production", production, "prod")}})
	app := func(env, path, value string, o parity.Owner) parity.Reference {
		return parity.Reference{Env: env, Address: "aws_instance.app", Path: path, Value: value, Owner: o}
	}
	want := []parity.Reference{
		app("staging", "kms", "key-dev-0001", parity.Owner{Env: "dev", Address: "aws_kms_key.main", Attribute: "id"}),
		app("production", "backup_kms", "key-dev-0001", parity.Owner{Env: "dev", Address: "aws_kms_key.main", Attribute: "id"}),
		app("production", "kms", "key-stg-0001", parity.Owner{Env: "staging", Address: "aws_kms_key.main", Attribute: "id"}),
		app("production", "vpc_id", "vpc-nonprod-01", parity.Owner{Env: "dev", Address: "aws_vpc.nonprod", Attribute: "id"}),
		app("production", "vpc_id", "vpc-nonprod-01", parity.Owner{Env: "staging", Address: "aws_vpc.nonprod", Attribute: "id"}),
	}
	if got := resource(t, f, "aws_instance.app").References; mustJSON(t, got) != mustJSON(t, want) {
		t.Errorf("references\n%s\nwant\n%s", mustJSON(t, got), mustJSON(t, want))
	}
	for _, c := range []string{"aws_vpc.nonprod", "aws_vpc.main", "aws_kms_key.main"} {
		if got := resource(t, f, c).References; got == nil || len(got) != 0 {
			t.Errorf("%s: references %v, want []", c, got)
		}
	}
}

// TestReferencesJSON: references serialise as [] when there are none.
func TestReferencesJSON(t *testing.T) {
	f := pair(t, snap(res("aws_x.a", vals{"v": "1"})), snap(res("aws_x.a", vals{"v": "1"})))
	j := mustJSON(t, resource(t, f, "aws_x.a"))
	if want := `"references": []`; !strings.Contains(j, want) {
		t.Errorf("resource JSON lacks %s:\n%s", want, j)
	}
}
