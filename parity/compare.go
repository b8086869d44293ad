package parity

import (
	"cmp"
	"encoding/json"
	"fmt"
	"iter"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/lockstep-iac/lockstep/internal/jsonnum"
	"github.com/lockstep-iac/lockstep/report"
	"github.com/lockstep-iac/lockstep/snapshot"
)

// Display strings for values that must not or cannot be shown.
const (
	SensitiveText = "(sensitive)"
	UnknownText   = "(known after apply)"
)

// side is one environment's value at the current path of a walk.
type side struct {
	env     int
	v       any
	unknown any // after_unknown mask at this node
}

// comparer compares one matched resource across environments.
type comparer struct {
	b        *builder
	declared []PathMatcher
	members  []*snapshot.Resource
	typ      string
	// omitted counts the attribute paths, and the shared-secret paths,
	// found beyond MaxPaths.
	omitted, sharedOmitted int
	// shared holds the first MaxPaths paths where environments hold the
	// same sensitive value, with the environments (sets of indexes).
	shared []record
}

type sink struct {
	differs func(path []string, sides []side)
	unknown func(path []string, unknown []side)
	// shared is told about leaves where environments hold the same
	// sensitive value; nil when not looking.
	shared func(path []string, groups []envSet)
}

// walker walks one comparison. Each walk has its own path, so that the
// walks of the current state and of the plans' results can run in step
// (see attributes).
type walker struct {
	c    *comparer
	path []string
	stop bool
}

// event is one thing a walk found at a path. The path is the walker's own
// buffer: valid until the walk resumes.
type event struct {
	path    []string
	differs bool
	unknown bool
	shared  []envSet
}

// events runs a walk as a sequence of events in walk order (see cmpPath).
func (c *comparer) events(sides []side, withUnknown bool) iter.Seq[event] {
	return func(yield func(event) bool) {
		w := &walker{c: c}
		s := sink{
			differs: func(p []string, _ []side) { w.stop = w.stop || !yield(event{path: p, differs: true}) },
			shared:  func(p []string, g []envSet) { w.stop = w.stop || !yield(event{path: p, shared: g}) },
		}
		if withUnknown {
			s.unknown = func(p []string, _ []side) { w.stop = w.stop || !yield(event{path: p, unknown: true}) }
		}
		w.walk(sides, s)
	}
}

// record is everything found at one path by both walks.
type record struct {
	path                     []string
	differsNow, differsAfter bool
	unknown                  bool
	shared                   []envSet
}

// attributes compares the current states and the plans' results. Both walks
// visit paths in one order (cmpPath), so merging their events in step gives
// each differing path once without holding them all: memory stays bounded
// by MaxPaths however many paths differ (a million-element list that
// differs everywhere keeps 100 and counts the rest).
func (c *comparer) attributes() []*Attribute {
	var now, after []side
	for i, m := range c.members {
		if m == nil {
			continue
		}
		if m.Now != nil {
			now = append(now, side{env: i, v: m.Now.Values})
		}
		if m.After != nil {
			after = append(after, side{env: i, v: m.After.Values, unknown: m.After.Unknown})
		}
	}
	var nowSeq, afterSeq iter.Seq[event] = noEvents, noEvents
	if len(now) > 1 {
		nowSeq = c.events(now, false)
	}
	if len(after) > 1 {
		afterSeq = c.events(after, true)
	}
	nextNow, stopNow := iter.Pull(nowSeq)
	defer stopNow()
	nextAfter, stopAfter := iter.Pull(afterSeq)
	defer stopAfter()

	var kept []record
	en, okNow := nextNow()
	ea, okAfter := nextAfter()
	for okNow || okAfter {
		var p []string
		switch {
		case !okAfter:
			p = en.path
		case !okNow:
			p = ea.path
		case cmpPath(en.path, ea.path) <= 0:
			p = en.path
		default:
			p = ea.path
		}
		rec := record{path: slices.Clone(p)}
		for okNow && cmpPath(en.path, rec.path) == 0 {
			rec.differsNow = rec.differsNow || en.differs
			rec.shared = mergeGroups(rec.shared, en.shared)
			en, okNow = nextNow()
		}
		for okAfter && cmpPath(ea.path, rec.path) == 0 {
			rec.differsAfter = rec.differsAfter || ea.differs
			rec.unknown = rec.unknown || ea.unknown
			rec.shared = mergeGroups(rec.shared, ea.shared)
			ea, okAfter = nextAfter()
		}
		if rec.shared != nil {
			if len(c.shared) < MaxPaths {
				c.shared = append(c.shared, rec)
			} else {
				c.sharedOmitted++
			}
		}
		// A path unknown somewhere that differs nowhere is listed only when
		// a plan changes it.
		if rec.differsNow || rec.differsAfter || rec.unknown && c.anyPlanChanges(rec.path) {
			if len(kept) < MaxPaths {
				kept = append(kept, rec)
			} else {
				c.omitted++
			}
		}
	}

	out := make([]*Attribute, 0, len(kept))
	for _, rec := range kept {
		a := &Attribute{Path: strings.Join(rec.path, "."), Now: map[string]any{}, After: map[string]any{},
			Changed: []string{}, Unknown: []string{}, DiffersNow: rec.differsNow, DiffersAfter: rec.differsAfter}
		for i, m := range c.members {
			if m == nil {
				continue
			}
			name := c.b.envs[i].env.Name
			if m.Now != nil {
				v, _ := lookup(m.Now.Values, nil, rec.path)
				a.Now[name] = display(v)
			}
			if m.After != nil {
				v, unk := lookup(m.After.Values, m.After.Unknown, rec.path)
				if unk {
					a.After[name] = UnknownText
					a.Unknown = append(a.Unknown, name)
				} else {
					a.After[name] = display(v)
				}
			}
			if planChanges(m, rec.path) {
				a.Changed = append(a.Changed, name)
			}
		}
		out = append(out, a)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}

func noEvents(func(event) bool) {}

func mergeGroups(into, from []envSet) []envSet {
	for _, g := range from {
		if !slices.ContainsFunc(into, g.equal) {
			into = append(into, g)
		}
	}
	return into
}

// cmpStep orders the steps of paths as walks visit them: list indexes
// (canonical non-negative integers) numerically and first, other map keys
// by their bytes. It is a total order on strings, so a node that is a list
// in one environment and a map in another is still visited in one order.
func cmpStep(a, b string) int {
	ia, ib := isIndex(a), isIndex(b)
	switch {
	case ia && ib:
		if len(a) != len(b) {
			return cmp.Compare(len(a), len(b))
		}
		return strings.Compare(a, b)
	case ia:
		return -1
	case ib:
		return 1
	}
	return strings.Compare(a, b)
}

func isIndex(s string) bool {
	if s == "" || len(s) > 1 && s[0] == '0' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// cmpPath orders paths step by step, a path before the paths below it.
func cmpPath(a, b []string) int {
	for i := 0; i < len(a) && i < len(b); i++ {
		if c := cmpStep(a[i], b[i]); c != 0 {
			return c
		}
	}
	return cmp.Compare(len(a), len(b))
}

// skip reports whether path is never compared: an identifier unique per
// environment, or a declared difference.
func (c *comparer) skip(path []string) bool {
	if len(path) == 0 {
		return false
	}
	if c.b.ignore[path[len(path)-1]] {
		return true
	}
	for _, d := range c.declared {
		if d.Match(path) {
			return true
		}
	}
	return false
}

// walk descends all sides in step and reports the paths where they differ,
// visiting map keys in cmpStep order and list elements by index.
func (w *walker) walk(sides []side, s sink) {
	c := w.c
	if w.stop || c.skip(w.path) {
		return
	}
	if isRandomResult(c.typ, w.path) {
		// Generated values differ by nature, but the same generated
		// secret in two environments is still a shared secret.
		if s.shared == nil {
			return
		}
		s = sink{shared: s.shared}
	}
	known := sides
	var unknown []side
	for i, sd := range sides {
		if b, ok := sd.unknown.(bool); ok && b {
			if unknown == nil {
				known = append([]side(nil), sides[:i]...)
			}
			unknown = append(unknown, sd)
		} else if unknown != nil {
			known = append(known, sd)
		}
	}
	if len(unknown) > 0 && len(known) > 0 && s.unknown != nil && len(w.path) > 0 {
		s.unknown(w.path, unknown)
	}
	if len(known) < 2 {
		return
	}
	switch containerKind(known) {
	case kindMap:
		keys := unionKeys(known)
		slices.SortFunc(keys, cmpStep)
		child := make([]side, len(known))
		for _, k := range keys {
			if w.stop {
				return
			}
			for i, sd := range known {
				m, _ := sd.v.(map[string]any)
				child[i] = side{env: sd.env, v: m[k], unknown: maskChild(sd.unknown, k)}
			}
			w.path = append(w.path, k)
			w.walk(child, s)
			w.path = w.path[:len(w.path)-1]
		}
		return
	case kindList:
		n := len(known[0].v.([]any))
		child := make([]side, len(known))
		for idx := 0; idx < n && !w.stop; idx++ {
			for i, sd := range known {
				child[i] = side{env: sd.env, v: sd.v.([]any)[idx], unknown: maskIndex(sd.unknown, idx)}
			}
			w.path = append(w.path, strconv.Itoa(idx))
			w.walk(child, s)
			w.path = w.path[:len(w.path)-1]
		}
		return
	}
	if s.shared != nil {
		if groups := sameSecret(known); groups != nil {
			s.shared(w.path, groups)
		}
	}
	if s.differs == nil {
		return
	}
	idKey := isIdentifierKey(w.path)
	for _, sd := range known[1:] {
		if !c.equal(known[0], sd, idKey) {
			s.differs(w.path, known)
			return
		}
	}
}

// sameSecret groups the environments whose leaf is a sensitive value, not
// too plain to be a credential, that another environment's leaf also holds:
// one set of environment indexes per distinct shared value.
func sameSecret(sides []side) []envSet {
	var groups []envSet
	var done envSet
	for i, a := range sides {
		x, ok := a.v.(snapshot.Sensitive)
		if !ok || x.Weak || done.has(a.env) {
			continue
		}
		var g envSet
		for _, b := range sides[i+1:] {
			if y, ok := b.v.(snapshot.Sensitive); ok && y.Hash == x.Hash {
				g.add(a.env)
				g.add(b.env)
			}
		}
		if g != nil {
			done.union(g)
			groups = append(groups, g)
		}
	}
	return groups
}

// sharedSecrets lists the paths where environments share a secret, one
// entry per group of environments sharing one value.
func (c *comparer) sharedSecrets() []SharedSecret {
	out := []SharedSecret{}
	for _, rec := range c.shared {
		path := strings.Join(rec.path, ".")
		for _, g := range rec.shared {
			s := SharedSecret{Path: path}
			for i, ix := range c.b.envs {
				if g.has(i) {
					s.Envs = append(s.Envs, ix.env.Name)
				}
			}
			out = append(out, s)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Path != out[j].Path {
			return out[i].Path < out[j].Path
		}
		return strings.Join(out[i].Envs, ",") < strings.Join(out[j].Envs, ",")
	})
	return out
}

const (
	kindLeaf = iota
	kindMap
	kindList
)

// containerKind says how to descend: into maps when every side is a map or
// empty, into lists when every side is a list of the same length, otherwise
// compare as leaves.
func containerKind(sides []side) int {
	maps, lists := 0, 0
	n := -1
	for _, sd := range sides {
		switch t := sd.v.(type) {
		case map[string]any:
			maps++
		case []any:
			if n >= 0 && len(t) != n {
				return kindLeaf
			}
			n = len(t)
			lists++
		default:
			if !isEmpty(sd.v) {
				return kindLeaf
			}
		}
	}
	switch {
	case maps > 0 && lists == 0:
		return kindMap
	case lists == len(sides):
		return kindList
	}
	return kindLeaf
}

func unionKeys(sides []side) []string {
	var keys []string
	seen := map[string]struct{}{}
	for _, sd := range sides {
		m, _ := sd.v.(map[string]any)
		for k := range m {
			if _, ok := seen[k]; !ok {
				seen[k] = struct{}{}
				keys = append(keys, k)
			}
		}
	}
	return keys
}

func maskChild(mask any, key string) any {
	if m, ok := mask.(map[string]any); ok {
		return m[key]
	}
	return nil
}

func maskIndex(mask any, i int) any {
	if m, ok := mask.([]any); ok && i < len(m) {
		return m[i]
	}
	return nil
}

// isEmpty treats null, "" and empty collections alike: providers and
// Terraform versions write unset values each of these ways.
func isEmpty(v any) bool {
	switch t := v.(type) {
	case nil:
		return true
	case string:
		return t == ""
	case map[string]any:
		return len(t) == 0
	case []any:
		return len(t) == 0
	}
	return false
}

// equal compares two leaves from different environments after
// normalisation. Two sensitive values never count as a divergence: different
// secrets per environment are expected.
func (c *comparer) equal(a, b side, idKey bool) bool {
	ea, eb := isEmpty(a.v), isEmpty(b.v)
	if ea || eb {
		return ea && eb
	}
	_, sa := a.v.(snapshot.Sensitive)
	_, sb := b.v.(snapshot.Sensitive)
	if sa || sb {
		return sa && sb
	}
	if x, ok := a.v.(string); ok {
		if y, ok := b.v.(string); ok {
			if x == y {
				return true
			}
			nx, ny := c.b.envs[a.env].normalize(x), c.b.envs[b.env].normalize(y)
			if idKey && !(isRef(nx) && isRef(ny)) {
				return true
			}
			return nx == ny
		}
	}
	if x, ok := a.v.(json.Number); ok {
		if y, ok := b.v.(json.Number); ok {
			return jsonnum.Equal(string(x), string(y))
		}
	}
	return c.canonical(a) == c.canonical(b)
}

// isIdentifierKey reports whether the attribute at path (ignoring list
// indexes) is named like a reference to another object's identifier.
func isIdentifierKey(path []string) bool {
	for i := len(path) - 1; i >= 0; i-- {
		step := path[i]
		if isInteger(step) {
			continue
		}
		for _, suffix := range identifierSuffixes {
			if strings.HasSuffix(step, suffix) {
				return true
			}
		}
		return false
	}
	return false
}

// isInteger is strconv.Atoi's test without its allocation on failure:
// it runs once per leaf.
func isInteger(s string) bool {
	d := s
	if d != "" && (d[0] == '+' || d[0] == '-') {
		d = d[1:]
	}
	if d == "" {
		return false
	}
	for i := 0; i < len(d); i++ {
		if d[i] < '0' || d[i] > '9' {
			return false
		}
	}
	if len(strings.TrimLeft(d, "0")) <= 18 {
		return true
	}
	_, err := strconv.Atoi(s) // only the range is left to check
	return err == nil
}

func isRef(s string) bool { return strings.HasPrefix(s, "${ref:") }

// canonical renders a leaf (possibly a container of mismatched shape) in a
// normalised, comparable form.
func (c *comparer) canonical(sd side) string {
	var sb strings.Builder
	c.writeCanonical(&sb, sd.env, sd.v)
	return sb.String()
}

func (c *comparer) writeCanonical(sb *strings.Builder, env int, v any) {
	switch t := v.(type) {
	case nil:
		sb.WriteString("null")
	case string:
		sb.WriteString(strconv.Quote(c.b.envs[env].normalize(t)))
	case json.Number:
		if n, ok := jsonnum.Canonical(string(t)); ok {
			sb.WriteString(n)
		} else {
			sb.WriteString(strconv.Quote(string(t)))
		}
	case float64:
		sb.WriteString(strconv.FormatFloat(t, 'g', -1, 64))
	case bool:
		sb.WriteString(strconv.FormatBool(t))
	case snapshot.Sensitive:
		sb.WriteString("(sensitive)")
	case []any:
		sb.WriteByte('[')
		for i, e := range t {
			if i > 0 {
				sb.WriteByte(',')
			}
			c.writeCanonical(sb, env, e)
		}
		sb.WriteByte(']')
	case map[string]any:
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		sb.WriteByte('{')
		for i, k := range keys {
			if i > 0 {
				sb.WriteByte(',')
			}
			sb.WriteString(strconv.Quote(k))
			sb.WriteByte(':')
			c.writeCanonical(sb, env, t[k])
		}
		sb.WriteByte('}')
	default:
		// Parsers only produce the JSON types above; anything else is
		// rendered in full rather than risk two values comparing equal.
		b, _ := json.Marshal(t)
		sb.Write(b)
	}
}

// anyPlanChanges reports whether some environment's plan changes path.
func (c *comparer) anyPlanChanges(path []string) bool {
	for _, m := range c.members {
		if planChanges(m, path) {
			return true
		}
	}
	return false
}

// planChanges reports whether m's plan changes the value at path, at a
// path above it, or below it. It is asked only for the paths a finding
// lists, so nothing is collected per changed leaf.
func planChanges(m *snapshot.Resource, path []string) bool {
	switch {
	case m == nil || !snapshot.Changes(m.Actions) || m.After == nil:
		return false // unchanged, or deleted: a resource-level change
	case m.Now == nil:
		return true // created: every path is new
	}
	var before, after, unknown any = m.Now.Values, m.After.Values, m.After.Unknown
	for depth := 0; ; depth++ {
		if b, ok := unknown.(bool); ok && b {
			return true
		}
		bm, bok := before.(map[string]any)
		am, aok := after.(map[string]any)
		if (bok || isEmpty(before)) && (aok || isEmpty(after)) && (bok || aok) {
			if depth == len(path) {
				return anyChange(before, after, unknown)
			}
			k := path[depth]
			before, after, unknown = bm[k], am[k], maskChild(unknown, k)
			continue
		}
		bl, bok := before.([]any)
		al, aok := after.([]any)
		if bok && aok && len(bl) == len(al) {
			if depth == len(path) {
				return anyChange(before, after, unknown)
			}
			i, err := strconv.Atoi(path[depth])
			if err != nil || i < 0 || i >= len(bl) {
				return false
			}
			before, after, unknown = bl[i], al[i], maskIndex(unknown, i)
			continue
		}
		if isEmpty(before) && isEmpty(after) {
			return false
		}
		// Compared whole here: a change here covers every path below.
		return !sameRaw(before, after)
	}
}

// anyChange reports whether anything below this node changes: maps and
// same-length lists are descended, other values compared whole.
func anyChange(before, after, unknown any) bool {
	if b, ok := unknown.(bool); ok && b {
		return true
	}
	bm, bok := before.(map[string]any)
	am, aok := after.(map[string]any)
	if (bok || isEmpty(before)) && (aok || isEmpty(after)) && (bok || aok) {
		for k, bv := range bm {
			if anyChange(bv, am[k], maskChild(unknown, k)) {
				return true
			}
		}
		for k, av := range am {
			if _, seen := bm[k]; !seen && anyChange(nil, av, maskChild(unknown, k)) {
				return true
			}
		}
		return false
	}
	bl, bok := before.([]any)
	al, aok := after.([]any)
	if bok && aok && len(bl) == len(al) {
		for i := range bl {
			if anyChange(bl[i], al[i], maskIndex(unknown, i)) {
				return true
			}
		}
		return false
	}
	if isEmpty(before) && isEmpty(after) {
		return false
	}
	return !sameRaw(before, after)
}

// sameRaw compares two values as Terraform wrote them (no normalising),
// numbers by value.
func sameRaw(a, b any) bool {
	switch x := a.(type) {
	case nil:
		return b == nil
	case string:
		y, ok := b.(string)
		return ok && x == y
	case json.Number:
		y, ok := b.(json.Number)
		return ok && jsonnum.Equal(string(x), string(y))
	case bool:
		y, ok := b.(bool)
		return ok && x == y
	case snapshot.Sensitive:
		y, ok := b.(snapshot.Sensitive)
		return ok && x == y
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, xv := range x {
			yv, ok := y[k]
			if !ok || !sameRaw(xv, yv) {
				return false
			}
		}
		return true
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !sameRaw(x[i], y[i]) {
				return false
			}
		}
		return true
	}
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return string(ja) == string(jb)
}

// promotion compares the target's planned object with what the previous
// environment has now.
func (c *comparer) promotion() *Promotion {
	t := c.members[c.b.target]
	if t == nil || !snapshot.Changes(t.Actions) {
		return nil
	}
	p := &Promotion{Action: snapshot.ActionVerb(t.Actions), Paths: []PromotionPath{}}
	if c.b.previous < 0 {
		return nil
	}
	p.Previous = c.b.envs[c.b.previous].env.Name
	prev := c.members[c.b.previous]
	p.PreviousHas = prev != nil && prev.Now != nil
	if t.After == nil || !p.PreviousHas {
		return p
	}
	sides := []side{
		{env: c.b.target, v: t.After.Values, unknown: t.After.Unknown},
		{env: c.b.previous, v: prev.Now.Values},
	}
	w := &walker{c: c}
	w.walk(sides, sink{differs: func(path []string, ss []side) {
		if !planChanges(t, path) {
			return // a difference the target's plan does not make
		}
		if len(p.Paths) == MaxPaths {
			p.PathsOmitted++
			return
		}
		var tv, pv any
		for _, sd := range ss {
			if sd.env == c.b.target {
				tv = display(sd.v)
			} else {
				pv = display(sd.v)
			}
		}
		p.Paths = append(p.Paths, PromotionPath{Path: strings.Join(path, "."), Target: tv, Previous: pv})
	}})
	sort.Slice(p.Paths, func(i, j int) bool { return p.Paths[i].Path < p.Paths[j].Path })
	return p
}

// lookup finds the value at path, and whether it is unknown.
func lookup(v any, unknown any, path []string) (any, bool) {
	for _, step := range path {
		if b, ok := unknown.(bool); ok && b {
			return nil, true
		}
		switch t := v.(type) {
		case map[string]any:
			v = t[step]
			unknown = maskChild(unknown, step)
		case []any:
			i, err := strconv.Atoi(step)
			if err != nil || i < 0 || i >= len(t) {
				return nil, false
			}
			v = t[i]
			unknown = maskIndex(unknown, i)
		default:
			return nil, false
		}
	}
	if b, ok := unknown.(bool); ok && b {
		return nil, true
	}
	return v, false
}

// Bounds on the detail the facts carry, so that memory and every output
// stay proportional to what a reader can use, not to the input: a
// million-element list that differs everywhere, or a 100 MB string, gives a
// finding of a few kilobytes. Real plans stay far below them; docs/input.md
// documents how a cut shows.
const (
	// MaxPaths bounds the attribute paths listed per resource, the
	// shared-secret paths per resource, the paths of a promotion and the
	// attributes of a drift entry: the first MaxPaths in walk order (map
	// keys sorted, list elements by index); the rest are counted in the
	// matching *_omitted field.
	MaxPaths = 100
	// MaxValueBytes bounds a string (or a number's text) in a value shown:
	// a longer one keeps its first MaxValueBytes bytes, cut at a character
	// boundary, followed by "… (N bytes)" with its full length.
	MaxValueBytes = report.MaxTextBytes
	// MaxValueElements bounds the list elements and map keys shown in one
	// value, all levels together: a list keeps its first elements and ends
	// with "… (N more elements)"; a map keeps its first keys in sorted
	// order and gets the key "…" with "(N more keys)".
	MaxValueElements = 100
)

// display returns a value safe to show: secrets become "(sensitive)", long
// strings and big collections are shortened (MaxValueBytes,
// MaxValueElements), and a number the policy engine cannot hold becomes
// its text (jsonnum.RegoSafe).
func display(v any) any {
	budget := MaxValueElements
	return displayValue(v, &budget)
}

func displayValue(v any, budget *int) any {
	switch t := v.(type) {
	case snapshot.Sensitive:
		return SensitiveText
	case string:
		return shorten(t)
	case json.Number:
		if len(t) > MaxValueBytes || !jsonnum.RegoSafe(string(t)) {
			return shorten(string(t))
		}
		return t
	case map[string]any:
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		out := make(map[string]any, min(len(t), *budget+1))
		for i, k := range keys {
			if *budget <= 0 {
				out["…"] = fmt.Sprintf("(%d more keys)", len(keys)-i)
				break
			}
			*budget--
			out[shorten(k)] = displayValue(t[k], budget)
		}
		return out
	case []any:
		out := make([]any, 0, min(len(t), *budget+1))
		for i, e := range t {
			if *budget <= 0 {
				out = append(out, fmt.Sprintf("… (%d more elements)", len(t)-i))
				break
			}
			*budget--
			out = append(out, displayValue(e, budget))
		}
		return out
	}
	return v
}

// shorten cuts a string longer than MaxValueBytes.
func shorten(s string) string { return report.Shorten(s, MaxValueBytes) }
