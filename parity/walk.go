package parity

import (
	"cmp"
	"iter"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/lockstep-iac/lockstep/snapshot"
)

// side is one environment's value at the current path of a walk.
type side struct {
	env     int
	v       any
	unknown any // after_unknown mask at this node
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
	// frames are the key and side buffers of each depth, reused from one
	// node to the next: a walk visits every node of every resource, and
	// making them per node was most of what parity allocated.
	frames []*frame
}

// framePool keeps the frames of finished walks for the next ones: a
// resource's walks are short, and most of their frames' cost was making
// them.
var framePool = sync.Pool{New: func() any { return new([]*frame) }}

type frame struct {
	keys  []string
	child []side
}

// frame returns the buffers of the current depth, its child sides n long.
func (w *walker) frame(n int) *frame {
	d := len(w.path)
	for len(w.frames) <= d {
		w.frames = append(w.frames, &frame{})
	}
	f := w.frames[d]
	if cap(f.child) < n {
		f.child = make([]side, n)
	}
	f.child = f.child[:n]
	return f
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
		frames := framePool.Get().(*[]*frame)
		w.frames = *frames
		defer func() {
			*frames = w.frames
			framePool.Put(frames)
		}()
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

// sortSteps sorts a map's keys in cmpStep order: by their bytes, as
// cmpStep orders them, unless one is a list index. Most maps (a
// resource's attributes) have none, and sorting strings is several times
// quicker than sorting with a function that tells indexes apart.
func sortSteps(keys []string) {
	for _, k := range keys {
		if isIndex(k) {
			slices.SortFunc(keys, cmpStep)
			return
		}
	}
	slices.Sort(keys)
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
	if c.b.ignore.has(path[len(path)-1]) {
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
	sides = c.scope(w.path, sides)
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
	if same, ok := c.sameReferenceSets(known); ok {
		if !same && s.differs != nil {
			s.differs(w.path, known)
		}
		return
	}
	switch containerKind(known) {
	case kindAttributes:
		w.attributes(known, s)
		return
	case kindMap:
		f := w.frame(len(known))
		f.keys = appendUnionKeys(f.keys[:0], known)
		sortSteps(f.keys)
		keys, child := f.keys, f.child
		defer clear(child) // the buffers must not keep values alive
		for _, k := range keys {
			if w.stop {
				return
			}
			for i, sd := range known {
				m, _ := sd.v.(map[string]any)
				child[i] = side{env: sd.env, v: m[k], unknown: maskChild(sd.unknown, k)}
			}
			if quiet(child) {
				continue
			}
			w.path = append(w.path, k)
			w.walk(child, s)
			w.path = w.path[:len(w.path)-1]
		}
		return
	case kindList:
		n := len(known[0].v.([]any))
		child := w.frame(len(known)).child
		defer clear(child)
		for idx := 0; idx < n && !w.stop; idx++ {
			for i, sd := range known {
				child[i] = side{env: sd.env, v: sd.v.([]any)[idx], unknown: maskIndex(sd.unknown, idx)}
			}
			if quiet(child) {
				continue
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

// attributes descends the objects of sides (decoded objects, with maps
// or empty values beside them) member by member in cmpStep order, as the
// map case descends maps. Objects of one shape hold the same names in the
// same order, so in the common case the names need no sorting and each
// value is taken by its position, without a lookup.
func (w *walker) attributes(known []side, s sink) {
	f := w.frame(len(known))
	first, byPosition := known[0].v.(*snapshot.Attributes)
	keys := first.Names()
	for _, sd := range known[1:] {
		a, ok := sd.v.(*snapshot.Attributes)
		if !byPosition || !ok || !sameNames(a.Names(), keys) {
			byPosition = false
			break
		}
	}
	if !byPosition || slices.ContainsFunc(keys, isIndex) {
		f.keys = f.keys[:0]
		for _, sd := range known {
			f.keys = appendNames(f.keys, sd.v)
		}
		sortSteps(f.keys)
		f.keys = slices.Compact(f.keys)
		keys, byPosition = f.keys, false
	}
	child := f.child
	defer clear(child) // the buffers must not keep values alive
	for j, k := range keys {
		if w.stop {
			return
		}
		for i, sd := range known {
			var v any
			if byPosition {
				v = sd.v.(*snapshot.Attributes).At(j)
			} else {
				v = snapshot.Member(sd.v, k)
			}
			child[i] = side{env: sd.env, v: v, unknown: maskChild(sd.unknown, k)}
		}
		if quiet(child) {
			continue
		}
		w.path = append(w.path, k)
		w.walk(child, s)
		w.path = w.path[:len(w.path)-1]
	}
}

// sameNames reports whether two objects' names are the same list: the
// very same when one input's reader shared them, equal when two inputs
// read the same shape.
func sameNames(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	return len(a) == 0 || &a[0] == &b[0] || slices.Equal(a, b)
}

const (
	kindLeaf = iota
	kindMap
	kindList
	kindAttributes
)

// containerKind says how to descend: member by member when some side is
// a decoded object (snapshot.Attributes) and every other an object or
// empty, into maps when every side is a map or empty, into lists when
// every side is a list of the same length, otherwise compare as leaves.
func containerKind(sides []side) int {
	maps, lists, attrs := 0, 0, 0
	n := -1
	for _, sd := range sides {
		switch t := sd.v.(type) {
		case *snapshot.Attributes:
			attrs++
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
	case attrs > 0 && lists == 0:
		return kindAttributes // beside maps or empty values too
	case maps > 0 && lists == 0:
		return kindMap
	case lists == len(sides):
		return kindList
	}
	return kindLeaf
}

// appendUnionKeys appends the keys of the maps of sides to keys, each once.
func appendUnionKeys(keys []string, sides []side) []string {
	// Looking a key up in the maps already taken costs less than a set of
	// the keys seen: most nodes have two sides with the same keys.
	for i, sd := range sides {
		m, _ := sd.v.(map[string]any)
		if keys == nil {
			keys = make([]string, 0, len(m))
		}
	next:
		for k := range m {
			for _, prev := range sides[:i] {
				if pm, ok := prev.v.(map[string]any); ok {
					if _, ok := pm[k]; ok {
						continue next
					}
				}
			}
			keys = append(keys, k)
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
	case *snapshot.Attributes:
		return t.Len() == 0
	case string:
		return t == ""
	case map[string]any:
		return len(t) == 0
	case []any:
		return len(t) == 0
	}
	return false
}
