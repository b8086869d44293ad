package parity

import (
	"maps"
	"slices"

	"github.com/lockstep-iac/lockstep/internal/sourceaddr"
	"github.com/lockstep-iac/lockstep/snapshot"
)

// Version kinds.
const (
	VersionTerraform     = "terraform"
	VersionProvider      = "provider"
	VersionModuleSource  = "module-source"
	VersionModuleVersion = "module-version"
	VersionTool          = "tool"
)

// versions compares the Terraform version of every input, the tool that
// wrote it where that shows (see tools), the provider
// versions of every lock file read, and the module calls of every plan's
// configuration. An environment whose input does not carry the information
// (a state has no configuration, not every environment has a lock file) is
// left out of that comparison rather than counted as different.
func (b *builder) versions() []*Version {
	out := []*Version{}
	tf := newVersion(VersionTerraform, "terraform")
	for _, ix := range b.envs {
		s := ix.env.Snapshot
		if s.TerraformVersion != "" {
			tf.Values[ix.env.Name] = s.TerraformVersion
		}
	}
	out = b.addVersion(out, tf, false)
	out = b.addVersion(out, b.tools(), false)

	// Providers, from the lock files that were read.
	for _, p := range toolNeutral(b.sortedNames(func(s *snapshot.Snapshot) []string { return slices.Collect(maps.Keys(s.Providers)) })) {
		v := newVersion(VersionProvider, p.name)
		for _, ix := range b.envs {
			s := ix.env.Snapshot
			if s.Providers == nil {
				continue
			}
			if ver, ok := p.lookup(s.Providers); ok {
				v.Values[ix.env.Name] = ver
			} else {
				v.Missing = append(v.Missing, ix.env.Name)
			}
			v.Sources[ix.env.Name] = s.LockFile
		}
		out = b.addVersion(out, v, false)
	}

	// Module calls, from the plans' configuration, matched through
	// environment tokens (moduleCalls).
	for _, mc := range b.moduleCalls() {
		src := newVersion(VersionModuleSource, mc.name)
		ver := newVersion(VersionModuleVersion, mc.name)
		for i, ix := range b.envs {
			s := ix.env.Snapshot
			if s.Modules == nil {
				continue
			}
			call, ok := mc.call(i, s)
			if !ok {
				src.Missing = append(src.Missing, ix.env.Name)
				continue
			}
			src.Values[ix.env.Name] = call.Source
			if call.Version != "" {
				ver.Values[ix.env.Name] = call.Version
			} else {
				// Pinned in one environment, unpinned in another.
				ver.Missing = append(ver.Missing, ix.env.Name)
			}
		}
		out = b.addVersion(out, src, true)
		if len(src.Missing) == 0 {
			out = b.addVersion(out, ver, false)
		}
	}
	return out
}

// sortedNames is the sorted union, over the environments, of the names
// that keys returns for each snapshot.
func (b *builder) sortedNames(keys func(*snapshot.Snapshot) []string) []string {
	seen := map[string]bool{}
	for _, ix := range b.envs {
		for _, name := range keys(ix.env.Snapshot) {
			seen[name] = true
		}
	}
	return slices.Sorted(maps.Keys(seen))
}

func newVersion(kind, name string) *Version {
	return &Version{Kind: kind, Name: name, Values: map[string]string{}, Missing: []string{}, Sources: map[string]string{}}
}

// addVersion appends v when two or more environments can be compared on
// it, deciding whether they differ. Module sources (source true) are
// compared without their credentials, which the parser already replaced
// with "(credentials)": a token in one environment and another token, or
// none, in the next is the same module fetched with other credentials. They
// are also compared with environment names replaced, since "./envs/staging"
// and "./envs/production" are per-environment paths by design.
func (b *builder) addVersion(out []*Version, v *Version, source bool) []*Version {
	if len(v.Values) == 0 || len(v.Values)+len(v.Missing) < 2 {
		return out
	}
	raw, normalized := map[string]bool{}, map[string]bool{}
	for _, ix := range b.envs {
		val, ok := v.Values[ix.env.Name]
		if !ok {
			continue
		}
		if source {
			val = sourceaddr.WithoutCredentials(val)
		}
		raw[val] = true
		if source {
			val = ix.replaceTokens(val)
		}
		normalized[val] = true
	}
	// Identical values are equal even when they name an environment.
	v.Differs = len(raw) > 1 && len(normalized) > 1 || len(v.Missing) > 0
	return append(out, v)
}
