package policy

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/lockstep-iac/lockstep/parity"
	"github.com/lockstep-iac/lockstep/snapshot"
)

// TestValueIsLazy checks that building the input value converts no
// environment resource: a resource holding a value OPA cannot convert (a
// channel) would make the conversion panic. Rules then convert only what
// they read, and one that reads the whole input still works.
func TestValueIsLazy(t *testing.T) {
	snap := func(bad bool) *snapshot.Snapshot {
		vals := map[string]any{"size": "large"}
		if bad {
			vals["unconvertible"] = make(chan int)
		}
		return &snapshot.Snapshot{Kind: snapshot.Kind("plan"), Resources: map[string]*snapshot.Resource{
			"aws_instance.a": {Address: "aws_instance.a", Type: "aws_instance", Name: "a", Now: &snapshot.Object{Values: vals}, After: &snapshot.Object{Values: vals}},
		}}
	}
	facts := &parity.Facts{Environments: []string{"staging", "production"}, Kinds: map[string]string{}, Resources: []*parity.Resource{}}
	dir := t.TempDir()
	src := `package main

deny contains msg if {
	r := input.env.production.resources["aws_instance.a"]
	msg := sprintf("%s is %s of %d", [r.address, r.after.size, count(input.env.staging.by_type.aws_instance)])
}

# Reads the whole input, converting everything.
warn contains msg if {
	keys := {k | some k, _ in input}
	msg := sprintf("%d keys, staging size %s", [count(keys), input.env.staging.resources["aws_instance.a"].now.size])
}
`
	if err := os.WriteFile(filepath.Join(dir, "p.rego"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	e, err := New(context.Background(), Options{PolicyDirs: []string{dir}})
	if err != nil {
		t.Fatal(err)
	}

	doc := NewDocument(facts, []parity.Env{{Name: "staging", Snapshot: snap(false)}, {Name: "production", Snapshot: snap(true)}})
	input, err := doc.Value()
	if err != nil {
		t.Fatal(err)
	}
	fs, err := e.Evaluate(context.Background(), input, Settings{"main.warn": {Disabled: true}})
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != 1 || fs[0].Message != "aws_instance.a is large of 1" {
		t.Errorf("findings %+v", fs)
	}

	doc = NewDocument(facts, []parity.Env{{Name: "staging", Snapshot: snap(false)}, {Name: "production", Snapshot: snap(false)}})
	if input, err = doc.Value(); err != nil {
		t.Fatal(err)
	}
	if fs, err = e.Evaluate(context.Background(), input, nil); err != nil {
		t.Fatal(err)
	}
	var msgs []string
	for _, f := range fs {
		msgs = append(msgs, f.Message)
	}
	if len(fs) != 2 || msgs[0] != "aws_instance.a is large of 1" || msgs[1] != "9 keys, staging size large" {
		t.Errorf("findings %q", msgs)
	}
}
