package parser

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
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
			addr += "[" + strconv.Quote(k) + "]"
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
		b.WriteString("[" + strconv.Quote(k) + "]")
	default:
		return "", fmt.Errorf("index_key must be a number or a string")
	}
	return b.String(), nil
}

// moduleOf returns the module part of an absolute resource address: every
// leading "module.NAME[KEY]" pair.
func moduleOf(addr string) string {
	rest, mod := addr, ""
	for strings.HasPrefix(rest, "module.") {
		end := stepEnd(rest, len("module."))
		if mod != "" {
			mod += "."
		}
		mod += rest[:end]
		if end >= len(rest) {
			break
		}
		rest = rest[end+1:]
	}
	return mod
}

// stepEnd returns the index of the '.' that ends the step starting at from.
func stepEnd(s string, from int) int {
	depth := 0
	for i := from; i < len(s); i++ {
		switch s[i] {
		case '[':
			depth++
		case ']':
			depth--
		case '"':
			for i++; i < len(s) && s[i] != '"'; i++ {
				if s[i] == '\\' {
					i++
				}
			}
		case '.':
			if depth == 0 {
				return i
			}
		}
	}
	return len(s)
}
