package evidence

import (
	"errors"
	"fmt"
	"hash/fnv"
	"reflect"
	"slices"
)

// InShard reports whether a stack belongs to shard index (1-based) of
// count: a stable hash of its name, so every run and every machine splits
// the fleet alike, and a stack keeps its shard as others come and go.
func InShard(stack string, index, count int) bool {
	h := fnv.New32a()
	h.Write([]byte(stack))
	return int(h.Sum32()%uint32(count)) == index-1
}

// ShardError is a set of shards that do not make one report.
type ShardError struct {
	// File is the shard at fault, as given to Merge's names; "" for the
	// set as a whole.
	File    string
	Problem string
}

func (e *ShardError) Error() string {
	if e.File == "" {
		return "lockstep report merge: " + e.Problem
	}
	return e.File + ": " + e.Problem
}

// Merge combines the shards of one run into the document a single run over
// the whole fleet would have written. The shards must be complete (1 to N,
// each once) and agree on everything but their stacks: tool, as-of day,
// parameters, rules, commit and history. names are the shards' files, for
// the errors.
func Merge(shards []*Document, names []string) (*Document, error) {
	if len(shards) == 0 {
		return nil, &ShardError{Problem: "give the shard files to merge"}
	}
	first := shards[0]
	if first.Shard == nil {
		return nil, &ShardError{File: names[0], Problem: "not a shard (no \"shard\" field): it is a whole report already"}
	}
	n := first.Shard.Count
	seen := map[int]string{}
	out := *first
	out.Shard, out.Stacks, out.Resolved = nil, nil, nil
	out.Evidence.Inputs, out.Evidence.Configs = nil, nil
	var errs []error
	for i, d := range shards {
		name := names[i]
		if err := sameRun(first, d); err != "" {
			errs = append(errs, &ShardError{File: name, Problem: err + " differs from " + names[0] + "'s: shards of one report come from one command line, on one as-of day, with one lockstep"})
			continue
		}
		if d.Shard == nil || d.Shard.Count != n || d.Shard.Index < 1 || d.Shard.Index > n {
			errs = append(errs, &ShardError{File: name, Problem: fmt.Sprintf("not a shard of %d", n)})
			continue
		}
		if prev := seen[d.Shard.Index]; prev != "" {
			errs = append(errs, &ShardError{File: name, Problem: fmt.Sprintf("shard %d/%d is also %s", d.Shard.Index, n, prev)})
			continue
		}
		seen[d.Shard.Index] = name
		out.Stacks = append(out.Stacks, d.Stacks...)
		out.Resolved = append(out.Resolved, d.Resolved...)
		out.Evidence.Inputs = append(out.Evidence.Inputs, d.Evidence.Inputs...)
		out.Evidence.Configs = append(out.Evidence.Configs, d.Evidence.Configs...)
		if d.GeneratedAt > out.GeneratedAt {
			out.GeneratedAt = d.GeneratedAt
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	var missing []int
	for k := 1; k <= n && len(missing) < 10; k++ {
		if seen[k] == "" {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		return nil, &ShardError{Problem: fmt.Sprintf("shards %v of %d are missing: give every shard's file", missing, n)}
	}
	for i, s := range out.Stacks {
		if slices.ContainsFunc(out.Stacks[:i], func(o Stack) bool { return o.Name == s.Name }) {
			return nil, &ShardError{Problem: fmt.Sprintf("stack %q is in two shards", s.Name)}
		}
	}
	Finalize(&out)
	return &out, nil
}

// sameRun names the first field in which b differs from a, other than what
// shards differ in; "" when none does.
func sameRun(a, b *Document) string {
	switch {
	case a.Version != b.Version || a.Kind != b.Kind:
		return "the document version"
	case a.Tool != b.Tool:
		return "the tool"
	case a.AsOf != b.AsOf:
		return "the as-of day"
	case !reflect.DeepEqual(a.Parameters, b.Parameters):
		return "the parameters"
	case !reflect.DeepEqual(a.Evidence.RuleBundle, b.Evidence.RuleBundle):
		return "the rule bundle"
	case a.Evidence.VCSCommit != b.Evidence.VCSCommit:
		return "the commit"
	case len(a.History) != len(b.History) || (len(a.History) > 1 && !reflect.DeepEqual(a.History[:len(a.History)-1], b.History[:len(b.History)-1])):
		return "the history"
	case (a.Summary.Trend == nil) != (b.Summary.Trend == nil) || (a.Summary.Trend != nil && a.Summary.Trend.Previous != b.Summary.Trend.Previous):
		return "the previous report"
	}
	return ""
}
