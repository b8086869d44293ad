package parity_test

import (
	"testing"

	"github.com/lockstep-iac/lockstep/parity"
	"github.com/lockstep-iac/lockstep/report"
	"github.com/lockstep-iac/lockstep/snapshot"
)

// withDrift adds resource_drift entries to a snapshot.
func withDrift(s *snapshot.Snapshot, changes ...*snapshot.Change) *snapshot.Snapshot {
	s.Drift = append(s.Drift, changes...)
	return s
}

func drifted(addr string, before, after vals, actions ...string) *snapshot.Change {
	return &snapshot.Change{Address: addr, Type: typeOf(addr), Actions: actions, Before: before, After: after}
}

// TestDrift: what each environment's plan says was changed outside
// Terraform, leaving out identifiers and timestamps.
func TestDrift(t *testing.T) {
	bucket := func(action string, attrs ...parity.DriftAttribute) *parity.Drift {
		if attrs == nil {
			attrs = []parity.DriftAttribute{}
		}
		return &parity.Drift{Env: "production", Address: "aws_s3_bucket.b", Type: "aws_s3_bucket", Action: action, Attributes: attrs}
	}
	tests := []struct {
		name   string
		change *snapshot.Change
		want   []*parity.Drift
	}{
		{
			name:   "update of a leaf",
			change: drifted("aws_s3_bucket.b", vals{"id": "b", "acl": "private"}, vals{"id": "b", "acl": "public-read"}, "update"),
			want:   []*parity.Drift{bucket("update", parity.DriftAttribute{Path: "acl", Before: "private", After: "public-read"})},
		},
		{
			name:   "deleted outside Terraform",
			change: drifted("aws_s3_bucket.b", vals{"id": "b", "acl": "private"}, nil, "delete"),
			want:   []*parity.Drift{bucket("delete")},
		},
		{
			name: "only ignored attributes changed",
			change: drifted("aws_s3_bucket.b",
				vals{"id": "b", "etag": "e1", "last_modified": "t1", "meta": vals{"created_at": "c1"}, "acl": "private"},
				vals{"id": "b2", "etag": "e2", "last_modified": "t2", "meta": vals{"created_at": "c2"}, "acl": "private"}, "update"),
		},
		{
			name: "nested paths, sorted",
			change: drifted("aws_s3_bucket.b",
				vals{"tags": vals{"team": "a", "env": "production"}, "rules": []any{vals{"port": num("80"), "etag": "x"}, vals{"port": num("443")}}},
				vals{"tags": vals{"team": "b", "env": "production", "new": "n"}, "rules": []any{vals{"port": num("8080"), "etag": "y"}, vals{"port": num("443.0")}}},
				"update"),
			want: []*parity.Drift{bucket("update",
				parity.DriftAttribute{Path: "rules.0.port", Before: num("80"), After: num("8080")},
				parity.DriftAttribute{Path: "tags.new", Before: nil, After: "n"},
				parity.DriftAttribute{Path: "tags.team", Before: "a", After: "b"},
			)},
		},
		{
			name:   "list length change shows whole lists",
			change: drifted("aws_s3_bucket.b", vals{"cors": []any{"a"}}, vals{"cors": []any{"a", sens("s")}}, "update"),
			want:   []*parity.Drift{bucket("update", parity.DriftAttribute{Path: "cors", Before: []any{"a"}, After: []any{"a", report.SensitiveText}})},
		},
		{
			name:   "sensitive value changed",
			change: drifted("aws_s3_bucket.b", vals{"key": sens("h1")}, vals{"key": sens("h2")}, "update"),
			want:   []*parity.Drift{bucket("update", parity.DriftAttribute{Path: "key", Before: report.SensitiveText, After: report.SensitiveText})},
		},
		{
			name:   "sensitive value made plain",
			change: drifted("aws_s3_bucket.b", vals{"key": sens("h1")}, vals{"key": "plain"}, "update"),
			want:   []*parity.Drift{bucket("update", parity.DriftAttribute{Path: "key", Before: report.SensitiveText, After: "plain"})},
		},
		{
			name:   "same sensitive value",
			change: drifted("aws_s3_bucket.b", vals{"key": sens("h1"), "acl": "a"}, vals{"key": sens("h1"), "acl": "a"}, "update"),
		},
		{
			name: "null, empty string and empty collections are no change",
			change: drifted("aws_s3_bucket.b",
				vals{"a": nil, "b": "", "c": nil, "d": []any{}, "e": nil, "n": num("1")},
				vals{"a": "", "b": nil, "c": []any{}, "d": nil, "e": vals{}, "f": "", "n": num("1.0")}, "update"),
		},
		{
			name:   "empty to a value",
			change: drifted("aws_s3_bucket.b", vals{"acl": ""}, vals{"acl": "private"}, "update"),
			want:   []*parity.Drift{bucket("update", parity.DriftAttribute{Path: "acl", Before: "", After: "private"})},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := pair(t, snap(), withDrift(snap(), tt.change))
			want := tt.want
			if want == nil {
				want = []*parity.Drift{}
			}
			if f.Drift == nil || mustJSON(t, f.Drift) != mustJSON(t, want) {
				t.Errorf("drift\n%s\nwant\n%s", mustJSON(t, f.Drift), mustJSON(t, want))
			}
		})
	}
}

// TestDriftOrder: entries are in environment (promotion) order, then by
// address.
func TestDriftOrder(t *testing.T) {
	upd := func(addr string) *snapshot.Change {
		return drifted(addr, vals{"v": "1"}, vals{"v": "2"}, "update")
	}
	staging := withDrift(snap(), upd("aws_x.b"), upd(`module.m.aws_x.a`), upd("aws_x.a"))
	production := withDrift(snap(), drifted("aws_x.c", vals{"v": "1"}, nil, "delete"), upd("aws_x.a"))
	f := build(t, parity.Options{Envs: []parity.Env{env("staging", staging), env("dev", snap()), env("production", production)}})
	var got []string
	for _, d := range f.Drift {
		got = append(got, d.Env+" "+d.Address+" "+d.Action)
	}
	want := []string{
		"staging aws_x.a update", "staging aws_x.b update", "staging module.m.aws_x.a update",
		"production aws_x.a update", "production aws_x.c delete",
	}
	if mustJSON(t, got) != mustJSON(t, want) {
		t.Errorf("drift order %v, want %v", got, want)
	}
	if f := pair(t, snap(), snap()); f.Drift == nil || len(f.Drift) != 0 {
		t.Errorf("no drift: %#v, want []", f.Drift)
	}
}

// TestDriftCustomIgnore: the ignore list of the options applies.
func TestDriftCustomIgnore(t *testing.T) {
	s := withDrift(snap(), drifted("aws_x.a", vals{"id": "1", "size": "s"}, vals{"id": "2", "size": "m"}, "update"))
	f, err := parity.BuildIgnoring(parity.Options{Envs: []parity.Env{env("staging", s)}}, []string{"size"})
	if err != nil {
		t.Fatal(err)
	}
	want := []*parity.Drift{{Env: "staging", Address: "aws_x.a", Type: "aws_x", Action: "update",
		Attributes: []parity.DriftAttribute{{Path: "id", Before: "1", After: "2"}}}}
	if mustJSON(t, f.Drift) != mustJSON(t, want) {
		t.Errorf("drift\n%s\nwant\n%s", mustJSON(t, f.Drift), mustJSON(t, want))
	}
}
