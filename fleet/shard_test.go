package fleet_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/lockstep-iac/lockstep/evidence"
	"github.com/lockstep-iac/lockstep/fleet"
	"github.com/lockstep-iac/lockstep/output"
)

// TestShardsMerge: for several shard counts, the shards split the fleet
// (each stack in one shard) and their merge, through JSON as CI passes it,
// is byte-identical to a single run in every format.
func TestShardsMerge(t *testing.T) {
	whole := render(t, runFleet(t, fixtureOptions()))
	for _, n := range []int{1, 2, 3, 7} {
		var shards []*evidence.Document
		var names []string
		stacks := 0
		for k := n; k >= 1; k-- { // out of order on purpose
			opts := fixtureOptions()
			opts.Shard = &evidence.Shard{Index: k, Count: n}
			js := render(t, runFleet(t, opts))["json"]
			d := readBack(t, js)
			stacks += len(d.Stacks)
			shards = append(shards, d)
			names = append(names, fmt.Sprintf("shard-%d.json", k))
		}
		if stacks != 6 {
			t.Errorf("%d shards hold %d stacks, want the fleet's 6", n, stacks)
		}
		merged, err := evidence.Merge(shards, names)
		if err != nil {
			t.Fatalf("%d shards: %v", n, err)
		}
		for name, got := range render(t, merged) {
			if !bytes.Equal(got, whole[name]) {
				t.Errorf("%d shards: the merged %s differs from a single run's", n, name)
			}
		}
	}
}

// TestMergeErrors: shards that do not make one report are refused, naming
// the file.
func TestMergeErrors(t *testing.T) {
	shard := func(k, n int, edit func(*fleet.Options)) *evidence.Document {
		opts := fixtureOptions()
		opts.Shard = &evidence.Shard{Index: k, Count: n}
		if edit != nil {
			edit(&opts)
		}
		return runFleet(t, opts)
	}
	whole := runFleet(t, fixtureOptions())
	for _, tc := range []struct {
		name   string
		shards []*evidence.Document
		want   string
	}{
		{"missing", []*evidence.Document{shard(1, 3, nil), shard(3, 3, nil)}, "shards [2] of 3 are missing"},
		{"twice", []*evidence.Document{shard(1, 2, nil), shard(1, 2, nil), shard(2, 2, nil)}, "f1: shard 1/2 is also f0"},
		{"other count", []*evidence.Document{shard(1, 2, nil), shard(2, 3, nil)}, "f1: not a shard of 2"},
		{"whole report", []*evidence.Document{whole}, "f0: not a shard"},
		{"other day", []*evidence.Document{shard(1, 2, nil), shard(2, 2, func(o *fleet.Options) { o.AsOf = o.AsOf.AddDate(0, 0, 1) })}, "f1: the as-of day differs"},
	} {
		names := make([]string, len(tc.shards))
		for i := range names {
			names[i] = fmt.Sprintf("f%d", i)
		}
		_, err := evidence.Merge(tc.shards, names)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.want)
		}
	}
}

func readBack(t *testing.T, js []byte) *evidence.Document {
	t.Helper()
	path := t.TempDir() + "/e.json"
	if err := writeFile(path, js); err != nil {
		t.Fatal(err)
	}
	d, err := fleet.ReadDocument(path)
	if err != nil {
		t.Fatal(err)
	}
	if again, _ := output.EvidenceJSON(d); !bytes.Equal(again, js) {
		t.Fatal("the evidence does not survive a JSON round trip")
	}
	return d
}
