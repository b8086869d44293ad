package address

import "strings"

// Mode is a resource's mode, which Terraform spells as a prefix step.
type Mode uint8

const (
	Managed   Mode = iota // TYPE.NAME
	Data                  // data.TYPE.NAME
	Ephemeral             // ephemeral.TYPE.NAME
)

// ModuleCall is one module.NAME[KEY] pair of an address.
type ModuleCall struct {
	Name string
	Key  Key
}

// Resource is the part of an address after its module calls.
type Resource struct {
	Mode Mode
	Type string
	Name string
	Key  Key
}

// Address is a parsed resource instance or module address.
type Address struct {
	Module []ModuleCall
	// Resource is nil for a module address (module.app, module.app[0]).
	Resource *Resource
}

// Parse reads a resource instance address (aws_instance.web[0],
// module.net["eu.west"].data.aws_vpc.main) or a module address
// (module.app.module.db). The words module, data and ephemeral and a
// resource type carry no key; anything that is not module calls followed by
// at most one resource is a *SyntaxError.
func Parse(s string) (Address, error) {
	var a Address
	steps, offsets, err := split(s, false)
	if err != nil {
		return a, err
	}
	i := 0
	for i+1 < len(steps) && steps[i].Name == "module" && steps[i].Key.Kind == NoKey {
		a.Module = append(a.Module, ModuleCall(steps[i+1]))
		i += 2
	}
	rest := steps[i:]
	bad := func(n int) error { return &SyntaxError{Kind: NotAnAddress, Offset: offsets[i+n]} }
	r := Resource{Mode: Managed}
	switch len(rest) {
	case 0:
		return a, nil
	case 3:
		switch rest[0] {
		case Step{Name: "data"}:
			r.Mode = Data
		case Step{Name: "ephemeral"}:
			r.Mode = Ephemeral
		default:
			return Address{}, bad(0)
		}
		rest = rest[1:]
		i++
	case 2:
		if rest[0].Name == "data" || rest[0].Name == "ephemeral" || rest[0].Name == "module" {
			return Address{}, bad(0)
		}
	default:
		return Address{}, bad(0)
	}
	if rest[0].Key.Kind != NoKey {
		return Address{}, bad(0)
	}
	r.Type, r.Name, r.Key = rest[0].Name, rest[1].Name, rest[1].Key
	a.Resource = &r
	return a, nil
}

// ModulePath returns the leading module.NAME[KEY] steps of an address as
// they are written ("module.net[\"eu.west\"].module.sg[0]"), "" in the root
// module. Only those steps are read, so the resource part may hold keys
// this package does not read.
func ModulePath(s string) (string, error) {
	end, i := 0, 0
	for {
		st, next, err := lexStep(s, i, false)
		if err != nil {
			return "", err
		}
		if st != (Step{Name: "module"}) || next >= len(s) {
			return s[:end], nil
		}
		_, next, err = lexStep(s, next+1, false)
		if err != nil {
			return "", err
		}
		end = next
		if next >= len(s) {
			return s[:end], nil
		}
		i = next + 1
	}
}

// String renders the address as Terraform prints it.
func (a Address) String() string {
	var b strings.Builder
	for i, m := range a.Module {
		if i > 0 {
			b.WriteByte('.')
		}
		b.WriteString("module.")
		b.WriteString(m.Name)
		m.Key.write(&b)
	}
	if a.Resource != nil {
		if len(a.Module) > 0 {
			b.WriteByte('.')
		}
		b.WriteString(a.Resource.String())
	}
	return b.String()
}

// String renders the resource part as Terraform prints it.
func (r Resource) String() string {
	var b strings.Builder
	switch r.Mode {
	case Data:
		b.WriteString("data.")
	case Ephemeral:
		b.WriteString("ephemeral.")
	}
	b.WriteString(r.Type)
	b.WriteByte('.')
	b.WriteString(r.Name)
	r.Key.write(&b)
	return b.String()
}
