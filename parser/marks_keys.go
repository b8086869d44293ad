package parser

import (
	"sort"
	"strconv"
	"strings"

	"github.com/lockstep-iac/lockstep/snapshot"
)

// keyNumber returns the number of the secret that map key k is or
// contains, or 0 when k is no secret. A learned key is a secret below a
// resource's top level only: the keys of a sensitive object are often
// attribute names too ("password"), which every resource's top level holds.
func (m *Marks) keyNumber(k string, top bool) int {
	if !m.maybe(len(k)) {
		return 0
	}
	if _, ok := m.values[k]; ok {
		return m.num[k]
	}
	if _, ok := m.keys[k]; ok && !top {
		return m.num[k]
	}
	return m.embedded(k)
}

// keyNumbers remembers keyNumber's answers for one redactor: the same few
// hundred attribute names come back in every resource, and an answer is
// one lookup where keyNumber may search each key for every long secret.
// The run's marks do not change while a redactor uses it.
type keyNumbers struct {
	m         *Marks
	top, deep map[string]int
}

func (c *keyNumbers) number(k string, top bool) int {
	memo := &c.deep
	if top {
		memo = &c.top
	}
	if n, ok := (*memo)[k]; ok {
		return n
	}
	if *memo == nil {
		*memo = map[string]int{}
	}
	n := c.m.keyNumber(k, top)
	(*memo)[k] = n
	return n
}

// isSecret reports whether map key k is or contains a secret.
func (c *keyNumbers) isSecret(k string, top bool) bool {
	return len(c.m.order) > 0 && c.m.maybe(len(k)) && c.number(k, top) > 0
}

// keyNames returns the new name of each of secret, the keys of t that are
// or contain a secret (isSecret): "(sensitive #N)" after the secret.
// Keys that would get the same name (two keys containing one secret) are
// told apart by a suffix, in the order of their clear text: the only
// place clear text orders anything, and only among keys that contain the
// same secret.
func (c *keyNumbers) keyNames(t map[string]any, secret []string, top bool) map[string]string {
	groups := map[int][]string{}
	for _, k := range secret {
		n := c.number(k, top)
		groups[n] = append(groups[n], k)
	}
	nums := make([]int, 0, len(groups))
	for n := range groups {
		nums = append(nums, n)
	}
	sort.Ints(nums)
	renamed := map[string]string{}
	used := map[string]bool{}
	for _, n := range nums {
		ks := groups[n]
		sort.Strings(ks)
		suffix := 1
		for _, k := range ks {
			for {
				name := placeholder(n, suffix)
				suffix++
				if _, clash := t[name]; !clash && !used[name] {
					renamed[k], used[name] = name, true
					break
				}
			}
		}
	}
	return renamed
}

// redactAddresses renames, in every address of snap, the instance keys
// (for_each keys, module keys) that are or contain a secret string, as a
// secret map key is renamed: a for_each over a secret's copy would print it
// in the address. The placeholder depends on the secret only, so both
// environments' addresses still match. Addresses that would collide (two
// keys containing one secret) are told apart by a suffix, in the order of
// their clear text.
func (m *Marks) redactAddresses(snap *snapshot.Snapshot) {
	if len(m.values) == 0 {
		return
	}
	addrs := sortedKeys(snap.Resources)
	var renamed map[string]*snapshot.Resource
	for _, addr := range addrs {
		if _, ok := m.redactAddress(addr, 1); ok {
			renamed = map[string]*snapshot.Resource{}
			break
		}
	}
	if renamed != nil {
		for _, addr := range addrs {
			res := snap.Resources[addr]
			name := addr
			for suffix := 1; ; suffix++ {
				n, ok := m.redactAddress(addr, suffix)
				if !ok {
					break
				}
				if _, clash := renamed[n]; !clash {
					name = n
					break
				}
			}
			res.Address = name
			renamed[name] = res
		}
		snap.Resources = renamed
	}
	for _, res := range snap.Resources {
		res.PreviousAddress, _ = m.redactAddress(res.PreviousAddress, 1)
		res.Module, _ = m.redactAddress(res.Module, 1)
	}
	for _, ch := range snap.Drift {
		ch.Address, _ = m.redactAddress(ch.Address, 1)
	}
}

// redactAddress replaces each quoted instance key of addr that is or
// contains a secret string with that secret's placeholder (see
// placeholder), and reports whether it replaced any.
func (m *Marks) redactAddress(addr string, suffix int) (string, bool) {
	if !strings.Contains(addr, `["`) {
		return addr, false
	}
	var b strings.Builder
	changed := false
	for i := 0; i < len(addr); {
		if !strings.HasPrefix(addr[i:], `["`) {
			b.WriteByte(addr[i])
			i++
			continue
		}
		j := i + 2
		for j < len(addr) && addr[j] != '"' {
			if addr[j] == '\\' {
				j++
			}
			j++
		}
		if j >= len(addr) {
			b.WriteString(addr[i:])
			break
		}
		key := addr[i+2 : j]
		if k, err := strconv.Unquote(addr[i+1 : j+1]); err == nil {
			key = k
		}
		n := 0
		if _, ok := m.values[key]; ok {
			n = m.num[key]
		} else {
			n = m.embedded(key)
		}
		if n > 0 {
			b.WriteString("[" + strconv.Quote(placeholder(n, suffix)))
			changed = true
		} else {
			b.WriteString(addr[i : j+1])
		}
		i = j + 1
	}
	if !changed {
		return addr, false
	}
	return b.String(), true
}

// placeholder is the name of secret number n as a map key.
func placeholder(n, suffix int) string {
	if suffix == 1 {
		return "(sensitive #" + strconv.Itoa(n) + ")"
	}
	return "(sensitive #" + strconv.Itoa(n) + "." + strconv.Itoa(suffix) + ")"
}
