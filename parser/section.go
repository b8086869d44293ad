package parser

import (
	"bytes"
	"encoding/json"
	"strconv"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/lockstep-iac/lockstep/internal/guard"
)

// sectionDecoder reads the large sections of an input in the streaming
// reader, entry by entry. Checking for duplicate keys costs
// its decoder about 40%, and most of what it reads is values no comparison
// uses (a no-op's before and after, planned_values): so the decoder allows
// them, and they are refused where a value is used instead: in the
// members of the objects read here (object), in every value decoded
// (decodeJSON), in the small values decoded with encoding/json (into); a
// value skipped because its bytes equal prior_state's, checked, has none.
// Every container and every value it reads is held to guard.MaxDepth,
// counted from the top of the document (the section's value is at depth
// 1). Each method returns errGiveUp for anything the document reader
// might read differently.
type sectionDecoder struct {
	dec *jsontext.Decoder
	s   *stream
	// lazy leaves a change's before and after, and a resource's values, in
	// the input (see lazyValues), and copies the marks it keeps.
	lazy bool
}

// depth is the document depth of what the decoder reads next: its
// decoder reads the whole document.
func (sd *sectionDecoder) depth() int { return sd.dec.StackDepth() }

func (sd *sectionDecoder) begin(kind jsontext.Kind) error {
	tok, err := sd.dec.ReadToken()
	if err != nil || tok.Kind() != kind || sd.depth() > guard.MaxDepth {
		return errGiveUp
	}
	return nil
}

// object reads an object, calling member for each name; member reads the
// value. A name that matches one of fields only when case is ignored gives
// up (see folded).
func (sd *sectionDecoder) object(fields []string, member func(name string) error) error {
	if err := sd.begin('{'); err != nil {
		return err
	}
	var seenBuf [16]string // on the stack: most objects have fewer members
	seen := seenBuf[:0]
	for sd.dec.PeekKind() != '}' {
		raw, err := sd.dec.ReadValue()
		if err != nil || len(raw) < 2 || raw[0] != '"' {
			return errGiveUp
		}
		name, err := sd.name(raw)
		if err != nil {
			return errGiveUp
		}
		if folded(name, fields) || contains(seen, name) {
			return errGiveUp
		}
		seen = append(seen, name)
		if err := member(name); err != nil {
			return err
		}
	}
	_, err := sd.dec.ReadToken()
	return err
}

// name returns the member name raw (quoted, as read), interned with the
// input's keys: the same few names head every entry of every section, and
// a string of its own for each was a tenth of what reading a plan's
// structure allocated.
func (sd *sectionDecoder) name(raw []byte) (string, error) {
	return interned(raw, sd.s.prior.r.keys.intern)
}

// interned returns the string a quoted JSON string raw holds: interned
// by intern when it has no escape, the common case, else unquoted.
func interned(raw []byte, intern func([]byte) string) (string, error) {
	if bytes.IndexByte(raw, '\\') < 0 {
		return intern(raw[1 : len(raw)-1]), nil
	}
	return unquote(raw)
}

// array reads an array, calling elem for each element.
func (sd *sectionDecoder) array(elem func(i int) error) error {
	if err := sd.begin('['); err != nil {
		return err
	}
	for i := 0; sd.dec.PeekKind() != ']'; i++ {
		if err := elem(i); err != nil {
			return err
		}
	}
	_, err := sd.dec.ReadToken()
	return err
}

// null reads a null if one is next.
func (sd *sectionDecoder) null() bool {
	if sd.dec.PeekKind() != 'n' {
		return false
	}
	_, err := sd.dec.ReadToken()
	return err == nil
}

// raw reads one value; its bytes are valid until the next read.
func (sd *sectionDecoder) raw() ([]byte, error) {
	depth := sd.depth()
	raw, err := sd.dec.ReadValue()
	if err != nil || tooDeep(depth, raw) {
		return nil, errGiveUp
	}
	return raw, nil
}

// tooDeep reports whether raw, one valid value read at depth, nests deeper
// than guard.MaxDepth allows. A value cannot nest deeper than half its
// length, nor than its count of opening brackets (those inside strings
// only raise the count); counting bytes is several times quicker than
// guard.Nesting's scan, and settles every value of a real plan.
func tooDeep(depth int, raw []byte) bool {
	room := guard.MaxDepth - (depth - 1)
	if len(raw)/2 <= room || bytes.Count(raw, openBrace)+bytes.Count(raw, openBracket) <= room {
		return false
	}
	return guard.Nesting(raw) > room
}

var openBrace, openBracket = []byte("{"), []byte("[")

// checked reads one value, refusing what the document reader refuses
// anywhere and this decoder allows: an object in it with a name twice (and
// nesting too deep). For the values read whole and small: those into
// decodes, and those skipped (an entry's provider_name, schema_version,
// replace_paths, a member Terraform may add); the large sections' values
// are placed or decoded instead.
func (sd *sectionDecoder) checked() ([]byte, error) {
	depth := sd.depth()
	raw, err := sd.raw()
	if err != nil {
		return nil, err
	}
	if bytes.IndexByte(raw, '{') >= 0 && guard.Value(raw, depth-1) != nil {
		return nil, errGiveUp
	}
	return raw, nil
}

// skip reads a value nothing uses.
func (sd *sectionDecoder) skip() error {
	_, err := sd.checked()
	return err
}

// keep reads one value into the stream's scratch buffer slot.
func (sd *sectionDecoder) keep(slot int) (json.RawMessage, error) {
	raw, err := sd.raw()
	if err != nil {
		return nil, err
	}
	sd.s.scratch[slot] = append(sd.s.scratch[slot][:0], raw...)
	return sd.s.scratch[slot], nil
}

// place reads one value and notes where it lies in the input, and its
// digest, for lazyValues.
func (sd *sectionDecoder) place(l **lazyValues, which int) error {
	raw, err := sd.raw()
	if err != nil {
		return err
	}
	if *l == nil {
		*l = &lazyValues{s: sd.s}
	}
	end := sd.dec.InputOffset()
	(*l).spans[which] = span{end - int64(len(raw)), end}
	(*l).sums[which] = digestOf(raw)
	return nil
}

// mark reads one value of marks into scratch slot, copied when the
// decoder is lazy: the entry outlives the slot.
func (sd *sectionDecoder) mark(slot int) (json.RawMessage, error) {
	raw, err := sd.keep(slot)
	if err != nil || !sd.lazy {
		return raw, err
	}
	return bytes.Clone(raw), nil
}

// into decodes one value into target as encoding/json does, with numbers
// as json.Number when useNumber is set.
func (sd *sectionDecoder) into(target any, useNumber bool) error {
	raw, err := sd.checked()
	if err != nil {
		return err
	}
	if p, ok := target.(*any); ok && len(raw) > 0 && (raw[0] == '-' || raw[0] >= '0' && raw[0] <= '9') {
		// A number (an index, mostly): what encoding/json makes of it.
		if useNumber {
			*p = json.Number(raw)
			return nil
		}
		f, err := strconv.ParseFloat(string(raw), 64)
		if err != nil {
			return errGiveUp
		}
		*p = f
		return nil
	}
	if !useNumber {
		// What a Decoder gives for one whole value, without its buffer:
		// a Decoder per tainted flag and actions list was 8% of all that
		// reading a plan allocated.
		if json.Unmarshal(raw, target) != nil {
			return errGiveUp
		}
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if dec.Decode(target) != nil {
		return errGiveUp
	}
	return nil
}

// actions reads a change's actions as into does, the list shared with
// every other change of the input whose actions have the same bytes
// (["no-op"], mostly): nothing changes a list of actions once read, and
// decoding one per change was a fifth of the garbage of reading a large
// plan's structure. Bounded as the values are.
func (sd *sectionDecoder) actions(out *[]string) error {
	raw, err := sd.checked()
	if err != nil {
		return err
	}
	k := sd.s.prior.r.keys
	if a, ok := k.actions[string(raw)]; ok {
		*out = a
		return nil
	}
	var a []string
	if json.Unmarshal(raw, &a) != nil {
		return errGiveUp
	}
	if len(k.actions) < maxRepeats {
		k.actions[string(raw)] = a
	}
	*out = a
	return nil
}

// word is str for the words every entry of a section repeats (a mode, a
// type, a name, a provider, a module's address): interned with the
// input's keys instead of a string for each (keys.word).
func (sd *sectionDecoder) word(s *string) error {
	switch sd.dec.PeekKind() {
	case 'n':
		if _, err := sd.dec.ReadToken(); err != nil {
			return errGiveUp
		}
		return nil
	case '"':
	default:
		return errGiveUp
	}
	raw, err := sd.dec.ReadValue()
	if err != nil || len(raw) < 2 {
		return errGiveUp
	}
	if *s, err = interned(raw, sd.s.prior.r.keys.word); err != nil {
		return errGiveUp
	}
	return nil
}

// str reads a string, or a null that leaves s as it is.
func (sd *sectionDecoder) str(s *string) error {
	tok, err := sd.dec.ReadToken()
	switch {
	case err != nil:
		return errGiveUp
	case tok.Kind() == '"':
		*s = tok.String()
	case tok.Kind() != 'n':
		return errGiveUp
	}
	return nil
}

var (
	stateJSONFields     = []string{"format_version", "terraform_version", "values"}
	stateValuesFields   = []string{"outputs", "root_module"}
	moduleFields        = []string{"address", "resources", "child_modules"}
	stateResourceFields = []string{"address", "mode", "type", "name", "values", "sensitive_values", "index", "tainted", "deposed_key", "provider_name"}
	changeEntryFields   = []string{"address", "module_address", "mode", "type", "name", "deposed", "previous_address", "change"}
	changeFields        = []string{"actions", "before", "after", "after_unknown", "before_sensitive", "after_sensitive"}
)

var (
	rawResourceFields = []string{"module", "mode", "type", "name", "provider", "instances"}
	rawInstanceFields = []string{"index_key", "status", "deposed", "attributes", "attributes_flat", "sensitive_attributes"}
)

// rawResources reads a raw state's resources into out as encoding/json
// would (see rawResource), each instance's attributes decoded as they are
// read (rawSnapshot decodes the document reader's), a name twice in them
// refused. What the document reader may read differently (attributes that
// are null, a member of another type) gives up.
func (sd *sectionDecoder) rawResources(out *[]rawResource) error {
	*out = []rawResource{}
	return sd.array(func(int) error {
		var rr rawResource
		err := sd.object(rawResourceFields, func(name string) error {
			switch name {
			case "module":
				return sd.word(&rr.Module)
			case "mode":
				return sd.word(&rr.Mode)
			case "type":
				return sd.word(&rr.Type)
			case "name":
				return sd.word(&rr.Name)
			case "provider":
				return sd.word(&rr.Provider)
			case "instances":
				if sd.null() {
					rr.Instances = nil
					return nil
				}
				rr.Instances = []rawInstance{}
				return sd.array(func(int) error {
					ri, err := sd.rawInstance()
					rr.Instances = append(rr.Instances, ri)
					return err
				})
			}
			return sd.skip()
		})
		*out = append(*out, rr)
		return err
	})
}

func (sd *sectionDecoder) rawInstance() (rawInstance, error) {
	var ri rawInstance
	err := sd.object(rawInstanceFields, func(name string) error {
		switch name {
		case "index_key":
			return sd.into(&ri.IndexKey, false)
		case "status":
			return sd.word(&ri.Status)
		case "deposed":
			return sd.str(&ri.Deposed)
		case "attributes":
			if sd.dec.PeekKind() != '{' {
				return errGiveUp
			}
			raw, err := sd.raw()
			if err != nil {
				return err
			}
			// Decoded here, from the decoder's own bytes, rather than
			// copied and decoded once the state is read: a copy of every
			// instance's attributes was most of a large state again.
			// What decodeValues refuses, the document reader words.
			a, err := sd.s.prior.r.decodeAttributes(raw)
			if err != nil || a == nil {
				return errGiveUp
			}
			ri.Attributes = a
			return nil
		case "attributes_flat":
			return sd.into(&ri.AttributesFlat, false)
		case "sensitive_attributes":
			return sd.into(&ri.SensitiveAttributes, false)
		}
		return sd.skip()
	})
	return ri, err
}

// values reads a state's values (or a plan's planned_values), giving its
// outputs to outputs and each resource, with its absolute address, to
// visit. useNumber decodes as planned_values is (see plannedValues).
func (sd *sectionDecoder) values(useNumber bool, outputs func(map[string]stateOutput), visit func(*stateResource) error) error {
	if sd.null() {
		return nil
	}
	return sd.object(stateValuesFields, func(name string) error {
		switch name {
		case "outputs":
			var out map[string]stateOutput
			if err := sd.into(&out, useNumber); err != nil {
				return err
			}
			outputs(out)
			return nil
		case "root_module":
			if sd.null() {
				return nil
			}
			return sd.module(useNumber, visit)
		}
		return sd.skip()
	})
}

// module reads one module of a state's values and, recursively, its child
// modules, in the order flattenModules visits them. Terraform writes a
// module's address after its resources, so each resource's address is
// made absolute with the module address known when it is read, and checked
// once the module is read: Terraform's own addresses are absolute already,
// and an old state's relative ones go to the document reader.
func (sd *sectionDecoder) module(useNumber bool, visit func(*stateResource) error) error {
	var address string
	// unsure keeps only what absoluteAddress reads: a stateResource per
	// resource of the root module was most of what reading a state's
	// structure allocated.
	type unsureAddress struct {
		address string
		index   any
	}
	var unsure []unsureAddress
	children := false
	err := sd.object(moduleFields, func(name string) error {
		switch name {
		case "address":
			return sd.str(&address)
		case "resources":
			if children {
				return errGiveUp
			}
			return sd.array(func(int) error {
				sr, err := sd.resource(useNumber)
				if err != nil {
					return err
				}
				if address == "" {
					unsure = append(unsure, unsureAddress{sr.Address, sr.Index})
				}
				sr.Address = absoluteAddress(address, sr)
				return visit(sr)
			})
		case "child_modules":
			children = true
			return sd.array(func(int) error { return sd.module(useNumber, visit) })
		}
		return sd.skip()
	})
	if err != nil {
		return err
	}
	for _, u := range unsure {
		if sr := (stateResource{Address: u.address, Index: u.index}); address != "" && absoluteAddress(address, &sr) != absoluteAddress("", &sr) {
			return errGiveUp
		}
	}
	return nil
}

// resource reads one resource of a state's values. Its raw values live in
// scratch slots 0 and 1 until the next resource is read.
func (sd *sectionDecoder) resource(useNumber bool) (*stateResource, error) {
	sr := &stateResource{}
	err := sd.object(stateResourceFields, func(name string) error {
		var err error
		switch name {
		case "address":
			return sd.str(&sr.Address)
		case "mode":
			return sd.word(&sr.Mode)
		case "type":
			return sd.word(&sr.Type)
		case "name":
			return sd.word(&sr.Name)
		case "deposed_key":
			return sd.str(&sr.DeposedKey)
		case "provider_name":
			return sd.word(&sr.ProviderName)
		case "values":
			if sd.lazy {
				return sd.place(&sr.lazy, 0)
			}
			sr.Values, err = sd.keep(0)
		case "sensitive_values":
			sr.SensitiveValues, err = sd.mark(1)
		case "index":
			err = sd.into(&sr.Index, useNumber)
		case "tainted":
			err = sd.into(&sr.Tainted, false)
		default:
			err = sd.skip()
		}
		return err
	})
	return sr, err
}

// change reads one entry of resource_changes or resource_drift. Its raw
// values live in the scratch slots until the next entry is read.
func (sd *sectionDecoder) change() (*resourceChange, error) {
	rc := &resourceChange{}
	err := sd.object(changeEntryFields, func(name string) error {
		switch name {
		case "address":
			return sd.str(&rc.Address)
		case "module_address":
			return sd.word(&rc.ModuleAddress)
		case "mode":
			return sd.word(&rc.Mode)
		case "type":
			return sd.word(&rc.Type)
		case "name":
			return sd.word(&rc.Name)
		case "deposed":
			return sd.str(&rc.Deposed)
		case "previous_address":
			return sd.str(&rc.PreviousAddress)
		case "change":
			if sd.null() {
				rc.Change = nil
				return nil
			}
			ch := &change{}
			rc.Change = ch
			return sd.object(changeFields, func(name string) error {
				var err error
				switch name {
				case "actions":
					err = sd.actions(&ch.Actions)
				case "before":
					if sd.lazy {
						return sd.place(&ch.lazy, 0)
					}
					ch.Before, err = sd.keep(0)
				case "after":
					if sd.lazy {
						return sd.place(&ch.lazy, 1)
					}
					ch.After, err = sd.keep(1)
				case "after_unknown":
					ch.AfterUnknown, err = sd.mark(2)
				case "before_sensitive":
					ch.BeforeSensitive, err = sd.mark(3)
				case "after_sensitive":
					ch.AfterSensitive, err = sd.mark(4)
				default:
					err = sd.skip()
				}
				return err
			})
		}
		return sd.skip()
	})
	return rc, err
}

var (
	configurationFields = []string{"root_module", "provider_config"}
	configModuleFields  = []string{"variables", "module_calls"}
	moduleCallFields    = []string{"source", "version_constraint", "module"}
	moduleBodyFields    = []string{"module_calls"}
)

// configuration reads a plan's configuration as encoding/json reads it
// into configuration: the root module's variables, the module calls at
// every depth and the providers' addresses. The rest, every resource's and
// output's expressions, a fifth to a third of a real plan, is skipped as
// skip skips (its names checked for duplicates): decoding the section
// whole with encoding/json validated it a second time and held it in one
// piece.
func (sd *sectionDecoder) configuration(out **configuration) error {
	if sd.null() {
		*out = nil
		return nil
	}
	c := &configuration{}
	*out = c
	return sd.object(configurationFields, func(name string) error {
		switch name {
		case "root_module":
			if sd.null() {
				return nil
			}
			return sd.object(configModuleFields, func(name string) error {
				switch name {
				case "variables":
					return sd.into(&c.RootModule.Variables, false)
				case "module_calls":
					return sd.moduleCalls(&c.RootModule.ModuleCalls)
				}
				return sd.skip()
			})
		case "provider_config":
			return sd.into(&c.ProviderConfig, false)
		}
		return sd.skip()
	})
}

// moduleCalls reads a module's module_calls, and recursively theirs, as
// encoding/json reads them into out.
func (sd *sectionDecoder) moduleCalls(out *map[string]*moduleCall) error {
	if sd.null() {
		*out = nil
		return nil
	}
	if *out == nil {
		*out = map[string]*moduleCall{}
	}
	calls := *out
	// A map's keys are taken as they are: none is a field to fold onto.
	return sd.object(nil, func(key string) error {
		if sd.null() {
			calls[key] = nil
			return nil
		}
		call := &moduleCall{}
		calls[key] = call
		return sd.object(moduleCallFields, func(name string) error {
			switch name {
			case "source":
				return sd.str(&call.Source)
			case "version_constraint":
				return sd.str(&call.VersionConstraint)
			case "module":
				if sd.null() {
					call.Module = nil
					return nil
				}
				call.Module = &struct {
					ModuleCalls map[string]*moduleCall `json:"module_calls"`
				}{}
				return sd.object(moduleBodyFields, func(name string) error {
					if name == "module_calls" {
						return sd.moduleCalls(&call.Module.ModuleCalls)
					}
					return sd.skip()
				})
			}
			return sd.skip()
		})
	})
}
