package policy

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"runtime"
	"sync"

	"github.com/go-json-experiment/json/jsontext"
	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/lockstep-iac/lockstep/parity"
)

// minSplitResources is the fewest matched resources whose conversion, and
// whose evaluation by the built-in rules (Engine.shares), is split across
// CPUs: below it, a few milliseconds' work, starting goroutines costs more
// than it saves. At 2,048 a real plan's 1,500 judged resources (one
// environment's updates) were converted on one core, a seventh of their
// check.
const minSplitResources = 512

// factsValue converts the facts, under the input's version, into an OPA
// object through their JSON, as the rules see them. The resources, one
// entry per matched resource and most of the facts of a large plan, are
// converted in as many parts as workers, at once; the parts make one
// array, the one a single conversion gives.
func factsValue(version int, facts *parity.Facts, workers int) (ast.Object, error) {
	n := len(facts.Resources)
	workers = min(workers, n/(minSplitResources/2))
	if workers < 2 || n < minSplitResources {
		return jsonValue(struct {
			Version int `json:"version"`
			*parity.Facts
		}{version, facts})
	}
	rest := *facts
	rest.Resources = nil
	obj, err := jsonValue(struct {
		Version int `json:"version"`
		*parity.Facts
	}{version, &rest})
	if err != nil {
		return nil, err
	}
	parts := make([]*ast.Array, workers)
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v, err := jsonAny(facts.Resources[w*n/workers : (w+1)*n/workers])
			if err != nil {
				errs[w] = err
				return
			}
			a, ok := v.(*ast.Array)
			if !ok {
				errs[w] = fmt.Errorf("convert policy input: resources are not an array")
				return
			}
			parts[w] = a
		}()
	}
	wg.Wait()
	terms := make([]*ast.Term, 0, n)
	for w, a := range parts {
		if errs[w] != nil {
			return nil, errs[w]
		}
		a.Foreach(func(t *ast.Term) { terms = append(terms, t) })
	}
	obj.Insert(ast.InternedTerm("resources"), ast.NewTerm(ast.NewArray(terms...)))
	return obj, nil
}

// defaultWorkers is how many parts factsValue converts at once.
func defaultWorkers() int { return runtime.GOMAXPROCS(0) }

// jsonValue converts v through its JSON into an OPA object.
func jsonValue(v any) (ast.Object, error) {
	x, err := jsonAny(v)
	if err != nil {
		return nil, err
	}
	obj, ok := x.(ast.Object)
	if !ok {
		return nil, fmt.Errorf("convert policy input: not an object")
	}
	return obj, nil
}

// jsonAny converts v through its JSON into an OPA value.
func jsonAny(v any) (ast.Value, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("encode policy input: %w", err)
	}
	x, err := valueFromJSON(b)
	if err != nil {
		return nil, fmt.Errorf("convert policy input: %w", err)
	}
	return x, nil
}

// valueFromJSON is the OPA value of the JSON text b, the one
// ast.ValueFromReader gives (numbers kept as their text), built from the
// text's tokens: ValueFromReader copies the text into its decoder and
// decodes an interface{} tree before converting it, and those two were
// most of what converting a user rule's facts allocated (about 60 of 100
// MB at 10k resources per environment).
func valueFromJSON(b []byte) (ast.Value, error) {
	r := termReader{dec: jsontext.NewDecoder(bytes.NewBuffer(b)), shared: map[string]*ast.Term{}}
	t, err := r.term()
	if err != nil {
		return nil, err
	}
	if _, err := r.dec.ReadToken(); err != io.EOF {
		return nil, fmt.Errorf("more than one JSON value")
	}
	return t.Value, nil
}

// termReader reads one JSON text as OPA terms. Every resource of the facts
// repeats the same member names (env, address, now, after, path, values)
// and the same short strings (environment names, actions, types), and a
// term of their own for each was 610 thousand allocations of a check with
// a user rule over the synthetic 10k x 2 plans, and 13 MB of its peak: the
// reader gives every occurrence of a name or a short string one term, as
// OPA shares its own interned terms (a term is never changed once built).
// Booleans and null are OPA's interned terms.
type termReader struct {
	dec    *jsontext.Decoder
	shared map[string]*ast.Term
}

// maxSharedText is the longest string shared, and maxShared the most
// strings: longer ones are addresses and values, mostly unique.
const (
	maxSharedText = 32
	maxShared     = 1 << 12
)

// str is the term of the string s, shared when short.
func (r *termReader) str(s string) *ast.Term {
	if len(s) > maxSharedText {
		return ast.StringTerm(s)
	}
	if t, ok := r.shared[s]; ok {
		return t
	}
	t := ast.StringTerm(s)
	if len(r.shared) < maxShared {
		r.shared[s] = t
	}
	return t
}

func (r *termReader) term() (*ast.Term, error) {
	tok, err := r.dec.ReadToken()
	if err != nil {
		return nil, err
	}
	switch tok.Kind() {
	case 'n':
		return ast.InternedNullTerm, nil
	case 't', 'f':
		return ast.InternedTerm(tok.Bool()), nil
	case '"':
		return r.str(tok.String()), nil
	case '0':
		return ast.NumberTerm(json.Number(tok.String())), nil
	case '{':
		obj := ast.NewObject()
		for r.dec.PeekKind() != '}' {
			tok, err := r.dec.ReadToken()
			if err != nil {
				return nil, err
			}
			k := r.str(tok.String()) // before the next read voids tok
			v, err := r.term()
			if err != nil {
				return nil, err
			}
			obj.Insert(k, v)
		}
		_, err := r.dec.ReadToken()
		return ast.NewTerm(obj), err
	case '[':
		var terms []*ast.Term
		for r.dec.PeekKind() != ']' {
			v, err := r.term()
			if err != nil {
				return nil, err
			}
			terms = append(terms, v)
		}
		_, err := r.dec.ReadToken()
		return ast.ArrayTerm(terms...), err
	}
	return nil, fmt.Errorf("unexpected JSON %v", tok.Kind())
}
