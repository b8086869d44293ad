package parity

import (
	"encoding/json"
	"math/big"
	"slices"
	"sort"
	"strconv"
	"strings"

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
	path     []string
	entries  map[string]*Attribute
	order    []string
	// shared maps attribute paths to the environments (bit set by index)
	// that hold the same sensitive value there.
	shared map[string][]uint64
}

type sink struct {
	differs func(path []string, sides []side)
	unknown func(path []string, unknown []side)
	// shared is told about leaves where environments hold the same
	// sensitive value; nil when not looking.
	shared func(path []string, groups []uint64)
}

func (c *comparer) attributes() []*Attribute {
	c.entries = map[string]*Attribute{}
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
	if len(now) > 1 {
		c.walk(now, sink{differs: func(p []string, _ []side) { c.entry(p).DiffersNow = true }, shared: c.recordShared})
	}
	if len(after) > 1 {
		c.walk(after, sink{
			differs: func(p []string, _ []side) { c.entry(p).DiffersAfter = true },
			unknown: func(p []string, _ []side) { c.entry(p) },
			shared:  c.recordShared,
		})
	}
	if len(c.entries) == 0 {
		return []*Attribute{}
	}
	changed := c.changedSets()
	out := make([]*Attribute, 0, len(c.entries))
	sort.Strings(c.order)
	for _, key := range c.order {
		a := c.entries[key]
		steps := splitPath(key)
		for i, m := range c.members {
			if m == nil {
				continue
			}
			name := c.b.envs[i].env.Name
			if m.Now != nil {
				v, _ := lookup(m.Now.Values, nil, steps)
				a.Now[name] = display(v)
			}
			if m.After != nil {
				v, unk := lookup(m.After.Values, m.After.Unknown, steps)
				if unk {
					a.After[name] = UnknownText
					a.Unknown = append(a.Unknown, name)
				} else {
					a.After[name] = display(v)
				}
			}
			if changed[i] != nil && changed[i].covers(key) {
				a.Changed = append(a.Changed, name)
			}
		}
		if !a.DiffersNow && !a.DiffersAfter && len(a.Changed) == 0 {
			continue // unknown everywhere it matters, and nobody changes it
		}
		out = append(out, a)
	}
	return out
}

func (c *comparer) entry(path []string) *Attribute {
	key := strings.Join(path, ".")
	a := c.entries[key]
	if a == nil {
		a = &Attribute{Path: key, Now: map[string]any{}, After: map[string]any{}, Changed: []string{}, Unknown: []string{}}
		c.entries[key] = a
		c.order = append(c.order, key)
	}
	return a
}

// skip reports whether the current path is never compared: an identifier
// unique per environment, or a declared difference.
func (c *comparer) skip() bool {
	if len(c.path) == 0 {
		return false
	}
	if c.b.ignore[c.path[len(c.path)-1]] {
		return true
	}
	for _, d := range c.declared {
		if d.Match(c.path) {
			return true
		}
	}
	return false
}

// walk descends all sides in step and reports the paths where they differ.
func (c *comparer) walk(sides []side, s sink) {
	if c.skip() {
		return
	}
	if isRandomResult(c.typ, c.path) {
		// Generated values differ by nature, but the same generated
		// secret in two environments is still a shared secret.
		if s.shared == nil {
			return
		}
		s = sink{shared: s.shared, differs: func([]string, []side) {}}
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
	if len(unknown) > 0 && len(known) > 0 && s.unknown != nil && len(c.path) > 0 {
		s.unknown(c.path, unknown)
	}
	if len(known) < 2 {
		return
	}
	switch containerKind(known) {
	case kindMap:
		child := make([]side, len(known))
		maps := make([]map[string]any, len(known))
		for i, sd := range known {
			maps[i], _ = sd.v.(map[string]any)
		}
		// Visit the union of keys without building it: a key is visited in
		// the first map that has it.
		for j, mj := range maps {
		keys:
			for k := range mj {
				for _, earlier := range maps[:j] {
					if _, ok := earlier[k]; ok {
						continue keys
					}
				}
				for i, sd := range known {
					child[i] = side{env: sd.env, v: maps[i][k], unknown: maskChild(sd.unknown, k)}
				}
				c.path = append(c.path, k)
				c.walk(child, s)
				c.path = c.path[:len(c.path)-1]
			}
		}
		return
	case kindList:
		n := len(known[0].v.([]any))
		child := make([]side, len(known))
		for idx := 0; idx < n; idx++ {
			for i, sd := range known {
				child[i] = side{env: sd.env, v: sd.v.([]any)[idx], unknown: maskIndex(sd.unknown, idx)}
			}
			c.path = append(c.path, strconv.Itoa(idx))
			c.walk(child, s)
			c.path = c.path[:len(c.path)-1]
		}
		return
	}
	if s.shared != nil {
		if groups := sameSecret(known); groups != nil {
			s.shared(c.path, groups)
		}
	}
	idKey := isIdentifierKey(c.path)
	for _, sd := range known[1:] {
		if !c.equal(known[0], sd, idKey) {
			s.differs(c.path, known)
			return
		}
	}
}

// sameSecret groups the environments whose leaf is a sensitive value, not
// too plain to be a credential, that another environment's leaf also holds:
// one bit set of environment indexes per distinct shared value.
func sameSecret(sides []side) []uint64 {
	var groups []uint64
	var done uint64
	for i, a := range sides {
		x, ok := a.v.(snapshot.Sensitive)
		if !ok || x.Weak || a.env >= 64 || done&(1<<uint(a.env)) != 0 {
			continue
		}
		var g uint64
		for _, b := range sides[i+1:] {
			if y, ok := b.v.(snapshot.Sensitive); ok && y.Hash == x.Hash && b.env < 64 {
				g |= 1<<uint(a.env) | 1<<uint(b.env)
			}
		}
		if g != 0 {
			done |= g
			groups = append(groups, g)
		}
	}
	return groups
}

func (c *comparer) recordShared(path []string, groups []uint64) {
	if c.shared == nil {
		c.shared = map[string][]uint64{}
	}
	key := strings.Join(path, ".")
	for _, g := range groups {
		if !slices.Contains(c.shared[key], g) {
			c.shared[key] = append(c.shared[key], g)
		}
	}
}

// sharedSecrets lists the paths where environments share a secret, one
// entry per group of environments sharing one value.
func (c *comparer) sharedSecrets() []SharedSecret {
	out := []SharedSecret{}
	for path, groups := range c.shared {
		for _, g := range groups {
			s := SharedSecret{Path: path}
			for i, ix := range c.b.envs {
				if g&(1<<uint(i)) != 0 {
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
			return numbersEqual(x, y)
		}
	}
	return c.canonical(a) == c.canonical(b)
}

// isIdentifierKey reports whether the attribute at path (ignoring list
// indexes) is named like a reference to another object's identifier.
func isIdentifierKey(path []string) bool {
	for i := len(path) - 1; i >= 0; i-- {
		step := path[i]
		if _, err := strconv.Atoi(step); err == nil {
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

func isRef(s string) bool { return strings.HasPrefix(s, "${ref:") }

func numbersEqual(x, y json.Number) bool {
	if x == y {
		return true
	}
	fx, ok1 := new(big.Float).SetString(string(x))
	fy, ok2 := new(big.Float).SetString(string(y))
	return ok1 && ok2 && fx.Cmp(fy) == 0
}

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
		sb.WriteString(t.String())
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

// changedSet holds the paths one environment's plan changes.
type changedSet struct {
	all    bool // the plan creates the object: every path is new
	leaves map[string]bool
	prefix map[string]bool
}

func (cs *changedSet) covers(path string) bool {
	if cs.all || cs.prefix[path] {
		return true
	}
	for p := path; ; {
		if cs.leaves[p] {
			return true
		}
		i := strings.LastIndexByte(p, '.')
		if i < 0 {
			return false
		}
		p = p[:i]
	}
}

// changedSets computes, per environment, the paths its plan changes.
func (c *comparer) changedSets() []*changedSet {
	out := make([]*changedSet, len(c.members))
	for i, m := range c.members {
		if m == nil || !snapshot.Changes(m.Actions) {
			continue
		}
		out[i] = c.changedSet(m)
	}
	return out
}

func (c *comparer) changedSet(m *snapshot.Resource) *changedSet {
	cs := &changedSet{leaves: map[string]bool{}, prefix: map[string]bool{}}
	switch {
	case m.After == nil:
		return nil // deleted: a resource-level change, not an attribute's
	case m.Now == nil:
		cs.all = true
		return cs
	}
	saved := c.path
	c.path = nil
	c.walkChanges(m.Now.Values, m.After.Values, m.After.Unknown, cs)
	c.path = saved
	return cs
}

func (c *comparer) walkChanges(before, after, unknown any, cs *changedSet) {
	record := func() {
		key := strings.Join(c.path, ".")
		cs.leaves[key] = true
		for i := 1; i < len(c.path); i++ {
			cs.prefix[strings.Join(c.path[:i], ".")] = true
		}
	}
	if b, ok := unknown.(bool); ok && b {
		record()
		return
	}
	bm, bok := before.(map[string]any)
	am, aok := after.(map[string]any)
	if (bok || isEmpty(before)) && (aok || isEmpty(after)) && (bok || aok) {
		for _, k := range unionKeys([]side{{v: bm}, {v: am}}) {
			c.path = append(c.path, k)
			c.walkChanges(bm[k], am[k], maskChild(unknown, k), cs)
			c.path = c.path[:len(c.path)-1]
		}
		return
	}
	bl, bok := before.([]any)
	al, aok := after.([]any)
	if bok && aok && len(bl) == len(al) {
		for i := range bl {
			c.path = append(c.path, strconv.Itoa(i))
			c.walkChanges(bl[i], al[i], maskIndex(unknown, i), cs)
			c.path = c.path[:len(c.path)-1]
		}
		return
	}
	if isEmpty(before) && isEmpty(after) {
		return
	}
	if !sameRaw(before, after) {
		record()
	}
}

func sameRaw(a, b any) bool {
	switch x := a.(type) {
	case string:
		y, ok := b.(string)
		return ok && x == y
	case json.Number:
		y, ok := b.(json.Number)
		return ok && numbersEqual(x, y)
	case bool:
		y, ok := b.(bool)
		return ok && x == y
	case snapshot.Sensitive:
		y, ok := b.(snapshot.Sensitive)
		return ok && x == y
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
	changed := c.changedSet(t)
	sides := []side{
		{env: c.b.target, v: t.After.Values, unknown: t.After.Unknown},
		{env: c.b.previous, v: prev.Now.Values},
	}
	saved := c.path
	c.path = nil
	c.walk(sides, sink{differs: func(path []string, ss []side) {
		key := strings.Join(path, ".")
		if changed != nil && !changed.covers(key) {
			return // a difference the target's plan does not make
		}
		var tv, pv any
		for _, sd := range ss {
			if sd.env == c.b.target {
				tv = display(sd.v)
			} else {
				pv = display(sd.v)
			}
		}
		p.Paths = append(p.Paths, PromotionPath{Path: key, Target: tv, Previous: pv})
	}})
	c.path = saved
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

// display returns a value safe to show: secrets become "(sensitive)".
func display(v any) any {
	switch t := v.(type) {
	case snapshot.Sensitive:
		return SensitiveText
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, e := range t {
			out[k] = display(e)
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = display(e)
		}
		return out
	}
	return v
}

// splitPath splits a joined attribute path. Map keys containing dots are
// ambiguous in dot paths; lookups then find nothing rather than a wrong value.
func splitPath(p string) []string {
	if p == "" {
		return nil
	}
	return strings.Split(p, ".")
}
