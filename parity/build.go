package parity

import (
	"fmt"
	"iter"
	"sort"
	"strings"
	"sync"

	"github.com/lockstep-iac/lockstep/internal/parallel"
	"github.com/lockstep-iac/lockstep/snapshot"
)

// AddressMatcher matches a Terraform resource address (config.AddressPattern).
type AddressMatcher interface{ Match(address string) bool }

// PathMatcher matches an attribute path given as steps (config.PathPattern).
type PathMatcher interface{ Match(path []string) bool }

// Env is one environment to compare.
type Env struct {
	Name     string
	Aliases  []string
	Snapshot *snapshot.Snapshot
}

// Declared is an expected difference: these attributes of these resources
// may differ between environments. With Envs, only those environments may
// differ from the others, which are still compared with each other.
type Declared struct {
	Resources  []AddressMatcher
	Attributes []PathMatcher
	Envs       []string
}

// OnlyIn says these resources belong to one environment only.
type OnlyIn struct {
	Env       string
	Resources []AddressMatcher
}

// Options configure Build.
type Options struct {
	// Envs in promotion order.
	Envs     []Env
	Target   string
	Declared []Declared
	OnlyIn   []OnlyIn
}

// DefaultIgnore are attribute names whose values are unique per environment by
// nature: identifiers that the provider assigns and timestamps. They are
// never compared, at any depth.
var DefaultIgnore = []string{
	"id", "arn", "unique_id", "self_link", "etag", "fingerprint",
	"ts", "timestamp", "created_at", "created_date", "created_time", "creation_date",
	"creation_time", "creation_timestamp", "create_time", "create_date",
	"updated_at", "update_time", "last_modified", "last_modified_date", "last_modified_time",
	"last_updated",
	"private_ip", "public_ip", "private_dns", "public_dns", "ipv6_addresses",
}

// identifierSuffixes mark attributes that hold identifiers of other objects
// (subnet_id, vpc_security_group_ids, kms_key_arn). Their values are unique
// per environment by nature, so they are compared only by what they point
// at: when both values are ids of resources in their own environment's
// state, the canonical addresses of those resources are compared; otherwise
// they are not a divergence. Pointing at another environment's object is
// cross-env-reference's business.
var identifierSuffixes = []string{"_id", "_ids", "_arn", "_arns"}

// identityAttributes are the attributes whose values identify a resource. A
// value elsewhere that equals one of them is a reference to that resource
// and is compared as such, so staging's subnet id and production's compare
// equal when both point at their own environment's subnet.
var identityAttributes = []string{"id", "arn", "self_link", "unique_id"}

// objects yields r's current and planned objects that are there, each
// once: a plan that leaves the object as it is has one for both (most
// resources of a large plan), read once.
func objects(r *snapshot.Resource) iter.Seq[*snapshot.Object] {
	return func(yield func(*snapshot.Object) bool) {
		if r.Now != nil && !yield(r.Now) {
			return
		}
		if r.After != nil && r.After != r.Now {
			yield(r.After)
		}
	}
}

// Build matches the environments' resources and computes the facts.
func Build(opts Options) (*Facts, error) {
	return build(opts, DefaultIgnore)
}

// build is Build with another list of names never compared, for the tests
// of the ignoring itself.
func build(opts Options, ignore []string) (*Facts, error) {
	if len(opts.Envs) == 0 {
		return nil, fmt.Errorf("no environments to compare")
	}
	b := &builder{opts: opts, ignore: newNameSet(ignore), usage: newUsage(opts)}
	facts := &Facts{Target: opts.Target, Kinds: map[string]string{}}
	targetIdx := -1
	for i, e := range opts.Envs {
		facts.Environments = append(facts.Environments, e.Name)
		facts.Kinds[e.Name] = string(e.Snapshot.Kind)
		if e.Name == opts.Target {
			targetIdx = i
		}
	}
	if opts.Target != "" {
		if targetIdx < 0 {
			return nil, fmt.Errorf("target %q is not one of the environments (%s)", opts.Target, strings.Join(facts.Environments, ", "))
		}
		if targetIdx > 0 {
			facts.Previous = opts.Envs[targetIdx-1].Name
		}
	}
	b.target, b.previous = targetIdx, targetIdx-1

	// Canonical addresses per environment, then the hash join.
	b.envs = make([]*envIndex, len(opts.Envs))
	parallel.Each(len(opts.Envs), func(i int) { b.envs[i] = newEnvIndex(opts.Envs[i]) })
	applyMoves(b.envs)
	// Each environment's indexes are its own, and the sorted union of the
	// canonical addresses reads only the matches: on a large plan these
	// were a third of Build's time, one after another.
	var canon []string
	var wg sync.WaitGroup
	wg.Go(func() { canon = canonicalAddresses(b.envs) })
	owners := make([]map[string]owner, len(b.envs))
	parallel.Each(len(b.envs), func(i int) {
		ix := b.envs[i]
		ix.indexIdentities()
		ix.indexRandom()
		owners[i] = ix.owners(i)
	})
	b.mergeOwners(owners)
	wg.Wait()
	b.indexForeignTokens()
	facts.Resources = b.resources(canon)
	facts.Drift = b.drift()
	facts.Versions = b.versions()
	facts.Usage = b.usage
	return facts, nil
}

type builder struct {
	opts     Options
	ignore   *nameSet
	envs     []*envIndex
	target   int
	previous int
	// owners maps distinctive identifying values to the resources they
	// identify, for cross-environment references.
	owners     map[string][]owner
	ownerHeads heads // of owners' keys
	// foreign and foreignWords list, per environment, the other
	// environments' names and aliases (envrefs.go).
	foreign      [][]foreignToken
	foreignWords [][]string
	usage        *Usage
	// usageMu guards usage: resources are compared on every CPU
	// (resources), and each records what the declarations matched.
	usageMu sync.Mutex
}

// resourceBatch is how many resources one call of resources' workers
// compares: enough that taking a batch costs nothing, few enough that the
// workers finish together.
const resourceBatch = 64

// resources compares the resources of every canonical address, in that
// order, on every CPU: once the indexes are built, comparing one resource
// only reads the builder and the snapshots, and it is most of Build's
// time on a large plan.
func (b *builder) resources(canon []string) []*Resource {
	out := make([]*Resource, len(canon))
	parallel.Each((len(canon)+resourceBatch-1)/resourceBatch, func(batch int) {
		for i := batch * resourceBatch; i < min((batch+1)*resourceBatch, len(canon)); i++ {
			out[i] = b.resource(canon[i])
		}
	})
	return out
}

func (b *builder) resource(canonical string) *Resource {
	n := len(b.envs)
	res := &Resource{Canonical: canonical, Envs: make([]EnvState, n), Attributes: []*Attribute{}, OnlyIn: []string{}}
	members := make([]*snapshot.Resource, n)
	var addresses []string
	for i, ix := range b.envs {
		r := ix.byCanonical[canonical]
		members[i] = r
		st := EnvState{Env: ix.env.Name, Actions: []string{}}
		if r != nil {
			st.Address, st.Now, st.After = r.Address, r.Now != nil, r.After != nil
			if r.Actions != nil {
				st.Actions = r.Actions
				st.Action = snapshot.ActionVerb(r.Actions)
			}
			if res.Address == "" {
				res.Address, res.Type = r.Address, r.Type
			}
			addresses = append(addresses, r.Address)
		}
		res.Envs[i] = st
	}
	addresses = append(addresses, canonical)
	if len(b.opts.Declared)+len(b.opts.OnlyIn) > 0 {
		b.usageMu.Lock()
		b.usage.record(b.opts, addresses, members)
		b.usageMu.Unlock()
	}
	for _, o := range b.opts.OnlyIn {
		if matchAny(o.Resources, addresses) {
			res.OnlyIn = append(res.OnlyIn, o.Env)
		}
	}
	var declared []PathMatcher
	var scopes []scoped
	for _, d := range b.opts.Declared {
		if !matchAny(d.Resources, addresses) {
			continue
		}
		if len(d.Envs) == 0 {
			declared = append(declared, d.Attributes...)
		} else if envs := b.scopeOf(d.Envs); envs != nil {
			scopes = append(scopes, scoped{paths: d.Attributes, envs: envs})
		}
	}
	c := &comparer{b: b, declared: declared, scoped: scopes, members: members, typ: res.Type}
	res.Attributes = c.attributes()
	res.SharedSecrets = c.sharedSecrets()
	res.AttributesOmitted, res.SharedSecretsOmitted = c.omitted, c.sharedOmitted
	res.References = b.references(members)
	if b.target >= 0 {
		res.Promotion = c.promotion()
	}
	return res
}

// applyMoves matches a resource that a moved block renames in one
// environment's plan with the same resource still at its old address in
// another environment: the configuration both share will move it there too,
// so it is one resource, not one missing from each side.
func applyMoves(envs []*envIndex) {
	moves := map[string]string{} // old canonical address -> new
	for _, ix := range envs {
		for c, r := range ix.byCanonical {
			if r.PreviousAddress != "" {
				moves[ix.replaceTokens(r.PreviousAddress)] = c
			}
		}
	}
	if len(moves) == 0 {
		return
	}
	for _, ix := range envs {
		for from, to := range moves {
			r, ok := ix.byCanonical[from]
			if _, taken := ix.byCanonical[to]; !ok || taken {
				continue
			}
			delete(ix.byCanonical, from)
			ix.byCanonical[to] = r
		}
	}
}

func matchAny(ms []AddressMatcher, addresses []string) bool {
	for _, m := range ms {
		for _, a := range addresses {
			if m.Match(a) {
				return true
			}
		}
	}
	return false
}

// canonicalAddresses is the sorted union of the environments' canonical
// addresses: the order resources are compared and reported in.
func canonicalAddresses(envs []*envIndex) []string {
	keys := make(map[string]struct{}, len(envs[0].byCanonical))
	for _, ix := range envs {
		for c := range ix.byCanonical {
			keys[c] = struct{}{}
		}
	}
	canon := make([]string, 0, len(keys))
	for c := range keys {
		canon = append(canon, c)
	}
	sort.Strings(canon)
	return canon
}
