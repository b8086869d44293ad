package parser

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/lockstep-iac/lockstep/internal/address"
)

// absoluteAddress repairs the addresses of Terraform 0.12's state JSON, which
// are relative to their module and lack the instance key (given in "index"
// instead), so that count and for_each instances and same-named resources of
// different modules do not collapse into one.
func absoluteAddress(module string, r *stateResource) string {
	addr := r.Address
	if module != "" && !strings.HasPrefix(addr, module+".") {
		addr = module + "." + addr
	}
	if r.Index != nil && !strings.HasSuffix(addr, "]") {
		switch k := r.Index.(type) {
		case json.Number:
			addr += "[" + k.String() + "]"
		case float64:
			addr += "[" + strconv.FormatInt(int64(k), 10) + "]"
		case string:
			addr += address.Key{Kind: address.StringKey, Value: k}.String()
		}
	}
	return addr
}

func rawAddress(rr *rawResource, ri *rawInstance) (string, error) {
	var b strings.Builder
	if rr.Module != "" {
		b.WriteString(rr.Module)
		b.WriteByte('.')
	}
	if rr.Mode == "data" {
		b.WriteString("data.")
	}
	b.WriteString(rr.Type)
	b.WriteByte('.')
	b.WriteString(rr.Name)
	switch k := ri.IndexKey.(type) {
	case nil:
	case float64:
		if k != float64(int64(k)) {
			return "", fmt.Errorf("index_key is a number but not a whole number")
		}
		b.WriteString("[" + strconv.FormatInt(int64(k), 10) + "]")
	case json.Number:
		n, err := strconv.ParseInt(k.String(), 10, 64)
		if err != nil {
			return "", fmt.Errorf("index_key is a number but not a whole number")
		}
		b.WriteString("[" + strconv.FormatInt(n, 10) + "]")
	case string:
		b.WriteString(address.Key{Kind: address.StringKey, Value: k}.String())
	default:
		return "", fmt.Errorf("index_key must be a number or a string")
	}
	return b.String(), nil
}

// moduleOf returns the module part of an absolute resource address: every
// leading "module.NAME[KEY]" step. An address too malformed to say (only a
// hand-edited state holds one) belongs to no module.
func moduleOf(addr string) string {
	mod, err := address.ModulePath(addr)
	if err != nil {
		return ""
	}
	return mod
}
