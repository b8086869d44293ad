package evidence

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strings"

	"github.com/lockstep-iac/lockstep/report"
)

// Finalize derives everything a document holds besides its stacks, its
// inputs and its parameters (summary, matrix, fleet groups, counts, the
// last history point) and sorts it all. A single run and the merge of its
// shards both end here, which is what makes them byte-identical.
func Finalize(d *Document) {
	d.Version, d.Kind = SchemaVersion, DocumentKind
	slices.SortFunc(d.Stacks, func(a, b Stack) int { return cmp.Compare(a.Name, b.Name) })
	for i := range d.Stacks {
		finalizeStack(&d.Stacks[i])
	}
	d.Summary = summarize(d.Stacks, d.Summary.Trend, len(d.Resolved))
	d.Pairs, d.Matrix = matrix(d.Stacks)
	d.Groups = groups(d.Stacks)
	slices.SortFunc(d.Resolved, func(a, b Resolved) int {
		return cmp.Or(cmp.Compare(a.Stack, b.Stack), cmp.Compare(a.Rule, b.Rule), cmp.Compare(a.Address, b.Address), cmp.Compare(a.ID, b.ID))
	})
	point := HistoryPoint{AsOf: d.AsOf, Stacks: d.Summary.Stacks, InParity: d.Summary.InParity, Summary: d.Summary.Findings}
	if n := len(d.History); n > 0 {
		d.History[n-1] = point
	} else {
		d.History = []HistoryPoint{point}
	}
	if n := len(d.History); n > HistoryLength {
		d.History = d.History[n-HistoryLength:]
	}
	finalizeEvidence(&d.Evidence, d.Stacks)
}

func finalizeStack(s *Stack) {
	if s.Findings == nil {
		s.Findings = []Finding{}
	}
	if s.Declared == nil {
		s.Declared = []Declared{}
	}
	if s.Waivers == nil {
		s.Waivers = []Waiver{}
	}
	fs := make([]report.Finding, len(s.Findings))
	for i, f := range s.Findings {
		fs[i] = f.Finding
	}
	s.Summary = report.Count(fs)
	if s.Status == StatusParity || s.Status == StatusFindings {
		s.Status = StatusParity
		if s.Summary.Errors+s.Summary.Warnings > 0 {
			s.Status = StatusFindings
		}
	}
}

func summarize(stacks []Stack, trend *TrendCounts, resolved int) Summary {
	sum := Summary{Stacks: len(stacks), ByRule: []RuleCount{}, Expiring: []WaiverRef{}}
	type ruleKey struct {
		rule string
		sev  report.Severity
	}
	byRule := map[ruleKey][]report.Finding{}
	var all []report.Finding
	for _, s := range stacks {
		switch s.Status {
		case StatusParity:
			sum.InParity++
		case StatusFindings:
			sum.WithFindings++
		case StatusInputError:
			sum.InputError++
		case StatusNotComparable:
			sum.NotComparable++
		}
		for _, f := range s.Findings {
			k := ruleKey{f.Rule, f.Severity}
			byRule[k] = append(byRule[k], f.Finding)
			all = append(all, f.Finding)
		}
		for _, w := range s.Waivers {
			switch w.State {
			case WaiverActive:
				sum.Waivers.Active++
			case WaiverExpiring:
				sum.Waivers.Expiring++
				sum.Expiring = append(sum.Expiring, WaiverRef{Stack: s.Name, Name: w.Name, Owner: w.Owner, Expires: w.Expires, DaysLeft: w.DaysLeft})
			case WaiverExpired:
				sum.Waivers.Expired++
			case WaiverStale:
				sum.Waivers.Stale++
			}
			if w.MissingTicket {
				sum.Waivers.MissingTicket++
			}
		}
	}
	sum.Findings = report.Count(all)
	for k, fs := range byRule {
		sum.ByRule = append(sum.ByRule, RuleCount{Rule: k.rule, Severity: k.sev, Summary: report.Count(fs)})
	}
	slices.SortFunc(sum.ByRule, func(a, b RuleCount) int {
		return cmp.Or(cmp.Compare(a.Rule, b.Rule), cmp.Compare(a.Severity, b.Severity))
	})
	slices.SortFunc(sum.Expiring, func(a, b WaiverRef) int {
		return cmp.Or(cmp.Compare(a.DaysLeft, b.DaysLeft), cmp.Compare(a.Stack, b.Stack), cmp.Compare(a.Name, b.Name))
	})
	if trend != nil {
		t := TrendCounts{Previous: trend.Previous, Resolved: resolved}
		for _, s := range stacks {
			for _, f := range s.Findings {
				switch f.Trend {
				case TrendNew:
					t.New++
				case TrendPersisting:
					t.Persisting++
				}
			}
		}
		sum.Trend = &t
	}
	return sum
}

// matrix is every stack's row, over the pairs of its promotion chain.
func matrix(stacks []Stack) ([]Pair, []MatrixRow) {
	pairs := []Pair{}
	rows := make([]MatrixRow, 0, len(stacks))
	for _, s := range stacks {
		row := MatrixRow{Stack: s.Name, Status: s.Status, Cells: []Cell{}}
		if s.Status != StatusNotComparable {
			for i := 0; i+1 < len(s.Environments); i++ {
				p := Pair{From: s.Environments[i], To: s.Environments[i+1]}
				if !slices.Contains(pairs, p) {
					pairs = append(pairs, p)
				}
				row.Cells = append(row.Cells, cell(s, p))
			}
		}
		rows = append(rows, row)
	}
	return pairs, rows
}

// cell counts the findings that concern a pair: those naming both of its
// environments, those naming one of them alone, and those naming none
// (about the stack as a whole).
func cell(s Stack, p Pair) Cell {
	c := Cell{Pair: p}
	if s.Status == StatusInputError {
		c.Status = StatusInputError
		return c
	}
	var in []report.Finding
	for _, f := range s.Findings {
		from, to := slices.Contains(f.Environments, p.From), slices.Contains(f.Environments, p.To)
		if (from && to) || len(f.Environments) == 0 || (len(f.Environments) == 1 && (from || to)) {
			in = append(in, f.Finding)
		}
	}
	c.Summary = report.Count(in)
	switch {
	case c.Errors+c.Warnings > 0:
		c.Status = StatusFindings
	case c.Waived > 0:
		c.Status = StatusWaived
	default:
		c.Status = StatusParity
	}
	return c
}

// groups gathers the findings that are not waived by rule, collapsed
// address, attribute path and environments, with the stacks showing each;
// the divergences most stacks share come first.
func groups(stacks []Stack) []Group {
	index := map[string]int{}
	out := []Group{}
	for _, s := range stacks {
		for _, f := range s.Findings {
			if f.Waived {
				continue
			}
			attrs := []string{""}
			if len(f.Details.Attributes) > 0 {
				attrs = attrs[:0]
				for _, a := range f.Details.Attributes {
					attrs = append(attrs, a.Path)
				}
			}
			addr := CollapseKeys(f.Address)
			for _, attr := range attrs {
				key := strings.Join([]string{f.Rule, addr, attr, strings.Join(f.Environments, "\x00")}, "\x01")
				i, ok := index[key]
				if !ok {
					i = len(out)
					index[key] = i
					out = append(out, Group{Rule: f.Rule, Severity: f.Severity, Address: addr, Attribute: attr, Environments: f.Environments, Stacks: []string{}})
				}
				if g := &out[i]; !slices.Contains(g.Stacks, s.Name) {
					g.Stacks = append(g.Stacks, s.Name)
				}
			}
		}
	}
	slices.SortFunc(out, func(a, b Group) int {
		return cmp.Or(cmp.Compare(len(b.Stacks), len(a.Stacks)), cmp.Compare(a.Rule, b.Rule), cmp.Compare(a.Address, b.Address),
			cmp.Compare(a.Attribute, b.Attribute), slices.Compare(a.Environments, b.Environments))
	})
	return out
}

// CollapseKeys replaces every instance key of an address with [*], so that
// aws_instance.web["a"] and aws_instance.web["b"] group together. Quoted
// keys may hold brackets and escaped quotes.
func CollapseKeys(addr string) string {
	var b strings.Builder
	for i := 0; i < len(addr); i++ {
		if addr[i] != '[' {
			b.WriteByte(addr[i])
			continue
		}
		j, quoted := i+1, false
		for ; j < len(addr); j++ {
			switch c := addr[j]; {
			case quoted && c == '\\':
				j++
			case c == '"':
				quoted = !quoted
			case !quoted && c == ']':
				goto closed
			}
		}
		// No closing bracket: not an instance key; keep the rest as is.
		b.WriteString(addr[i:])
		return b.String()
	closed:
		b.WriteString("[*]")
		i = j
	}
	return b.String()
}

// FindingID identifies a finding across reports: its stack, rule, address,
// environments and attribute paths, not its message (which quotes values
// that may change while the divergence stays the same).
func FindingID(stack string, f report.Finding) string {
	h := sha256.New()
	parts := []string{stack, f.Rule, f.Address, strings.Join(f.Environments, ",")}
	for _, a := range f.Details.Attributes {
		parts = append(parts, a.Path)
	}
	if f.Details.Waiver != nil {
		parts = append(parts, f.Details.Waiver.Name)
	}
	h.Write([]byte(strings.Join(parts, "\x00")))
	return hex.EncodeToString(h.Sum(nil))[:16]
}

func finalizeEvidence(e *Evidence, stacks []Stack) {
	order := map[string]map[string]int{}
	for _, s := range stacks {
		m := map[string]int{}
		for i, env := range s.Environments {
			m[env] = i
		}
		order[s.Name] = m
	}
	slices.SortFunc(e.Inputs, func(a, b Input) int {
		return cmp.Or(cmp.Compare(a.Stack, b.Stack), cmp.Compare(order[a.Stack][a.Environment], order[b.Stack][b.Environment]),
			cmp.Compare(a.Environment, b.Environment), cmp.Compare(a.Path, b.Path))
	})
	slices.SortFunc(e.Configs, func(a, b File) int { return cmp.Compare(a.Path, b.Path) })
	e.Configs = slices.Compact(e.Configs)
	if e.Inputs == nil {
		e.Inputs = []Input{}
	}
	if e.Configs == nil {
		e.Configs = []File{}
	}
	c := Counts{Stacks: len(stacks), Skipped: []Skipped{}}
	for _, s := range stacks {
		c.Environments += len(s.Environments)
		if s.Status == StatusInputError || s.Status == StatusNotComparable {
			c.Skipped = append(c.Skipped, Skipped{Stack: s.Name, Reason: string(s.Status) + ": " + s.Reason})
		}
	}
	for _, in := range e.Inputs {
		c.Resources += in.Resources
	}
	c.Complete = len(c.Skipped) == 0
	e.Counts = c
}
