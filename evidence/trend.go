package evidence

import "fmt"

// Trends of a finding against the previous report.
const (
	TrendNew        = "new"
	TrendPersisting = "persisting"
)

// ApplyPrevious marks every finding new or persisting against prev, carries
// first_seen forward, lists the previous findings that are gone as
// resolved, and keeps prev's history. Only stacks present in both reports
// are compared, and not those with an input error now: a finding that
// could not be looked for is not resolved. Call it before Finalize.
func ApplyPrevious(d *Document, prev *Document) error {
	if prev.Kind != DocumentKind || prev.Version != SchemaVersion {
		return fmt.Errorf("not a lockstep report evidence document of version %d (kind %q, version %d)", SchemaVersion, prev.Kind, prev.Version)
	}
	if prev.Shard != nil {
		return fmt.Errorf("a shard (%d/%d), not a whole report: merge the shards with `lockstep report merge` first", prev.Shard.Index, prev.Shard.Count)
	}
	old := map[string]map[string]Finding{}
	for _, s := range prev.Stacks {
		m := map[string]Finding{}
		for _, f := range s.Findings {
			m[f.ID] = f
		}
		old[s.Name] = m
	}
	for i := range d.Stacks {
		s := &d.Stacks[i]
		was, ok := old[s.Name]
		if !ok || s.Status == StatusInputError {
			for j := range s.Findings {
				s.Findings[j].Trend = TrendNew
			}
			continue
		}
		seen := map[string]bool{}
		for j := range s.Findings {
			f := &s.Findings[j]
			seen[f.ID] = true
			if p, ok := was[f.ID]; ok {
				f.Trend, f.FirstSeen = TrendPersisting, p.FirstSeen
			} else {
				f.Trend = TrendNew
			}
		}
		for _, p := range prevStack(prev, s.Name).Findings {
			if !seen[p.ID] {
				d.Resolved = append(d.Resolved, Resolved{Stack: s.Name, ID: p.ID, Rule: p.Rule, Address: p.Address, Environments: p.Environments, FirstSeen: p.FirstSeen})
			}
		}
	}
	h := prev.History
	if len(h) > HistoryLength-1 {
		h = h[len(h)-(HistoryLength-1):]
	}
	d.History = append(append([]HistoryPoint{}, h...), HistoryPoint{})
	d.Summary.Trend = &TrendCounts{Previous: prev.AsOf}
	return nil
}

func prevStack(prev *Document, name string) Stack {
	for _, s := range prev.Stacks {
		if s.Name == name {
			return s
		}
	}
	return Stack{}
}
