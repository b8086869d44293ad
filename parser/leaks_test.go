package parser_test

import (
	"encoding/json"
	"errors"
	"net/url"
	"sort"
	"strings"
	"testing"

	"github.com/lockstep-iac/lockstep/internal/fixture"
	"github.com/lockstep-iac/lockstep/parser"
	"github.com/lockstep-iac/lockstep/snapshot"
)

// dataState is a state JSON with a data source holding secret (marked when
// marked) and a managed resource holding copy.
func dataState(marked bool, secret, copy string) string {
	sv := `{}`
	if marked {
		sv = `{"secret_string":true}`
	}
	return `{"format_version":"1.0","terraform_version":"1.11.4","values":{"root_module":{"resources":[
	 {"address":"data.aws_sec.a","mode":"data","type":"aws_sec","name":"a","values":{"secret_string":"` + secret + `"},"sensitive_values":` + sv + `},
	 {"address":"aws_x.b","mode":"managed","type":"aws_x","name":"b","values":{"v":"` + copy + `"},"sensitive_values":{}}]}}}`
}

// dataPlan is the same as a plan; where says which part carries the mark
// ("prior", "planned", "change" or "" for none).
func dataPlan(where, secret, copy string) string {
	sv := func(w string) string {
		if w == where {
			return `{"secret_string":true}`
		}
		return `{}`
	}
	resources := func(w string) string {
		return `[{"address":"data.aws_sec.a","mode":"data","type":"aws_sec","name":"a","values":{"secret_string":"` + secret + `"},"sensitive_values":` + sv(w) + `},
		 {"address":"aws_x.b","mode":"managed","type":"aws_x","name":"b","values":{"v":"` + copy + `"},"sensitive_values":{}}]`
	}
	return `{"format_version":"1.2","terraform_version":"1.11.4",
	 "planned_values":{"root_module":{"resources":` + resources("planned") + `}},
	 "prior_state":{"format_version":"1.0","values":{"root_module":{"resources":` + resources("prior") + `}}},
	 "resource_changes":[
	  {"address":"data.aws_sec.a","mode":"data","type":"aws_sec","name":"a","change":{"actions":["read"],"before":null,"after":{"secret_string":"` + secret + `"},"after_unknown":{},"before_sensitive":false,"after_sensitive":` + sv("change") + `}},
	  {"address":"aws_x.b","mode":"managed","type":"aws_x","name":"b","change":{"actions":["no-op"],"before":{"v":"` + copy + `"},"after":{"v":"` + copy + `"},"after_unknown":{},"before_sensitive":{},"after_sensitive":{}}}]}`
}

// dataRaw is the same as a raw state.
func dataRaw(marked bool, secret, copy string) string {
	sa := `[]`
	if marked {
		sa = `[[{"type":"get_attr","value":"secret_string"}]]`
	}
	return `{"version":4,"terraform_version":"1.11.4","resources":[
	 {"mode":"data","type":"aws_sec","name":"a","instances":[{"attributes":{"secret_string":"` + secret + `"},"sensitive_attributes":` + sa + `}]},
	 {"mode":"managed","type":"aws_x","name":"b","instances":[{"attributes":{"v":"` + copy + `"},"sensitive_attributes":[]}]}]}`
}

// TestDataSourceMarks: a data source is not compared, but what it marks is
// learned: its secret, copied unmarked into a managed resource, is hidden
// there, in the same input and in another that holds it unmarked (at the
// same place or only as a copy).
func TestDataSourceMarks(t *testing.T) {
	const s1, s2 = "DATASECRET-abc123", "DATASECRET-xyz789"
	cases := []struct {
		name                string
		staging, production string
	}{
		{"state/same-input", dataState(true, s1, s1), dataState(false, "other-value-1", "plain")},
		{"state/cross", dataState(true, s1, "plain"), dataState(false, s2, s2)},
		{"raw/same-input", dataRaw(true, s1, s1), dataRaw(false, "other-value-1", "plain")},
		{"raw/cross", dataRaw(true, s1, "plain"), dataRaw(false, s2, s2)},
	}
	for _, where := range []string{"prior", "planned", "change"} {
		cases = append(cases,
			struct{ name, staging, production string }{"plan-" + where + "/same-input", dataPlan(where, s1, s1), dataPlan("", "other-value-1", "plain")},
			struct{ name, staging, production string }{"plan-" + where + "/cross", dataPlan(where, s1, "plain"), dataPlan("", s2, s2)})
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			snaps := decodeAll(t, c.staging, c.production)
			for _, s := range snaps {
				assertNoSecret(t, s, []string{s1, s2})
			}
		})
	}
	alone := mustParseBytes(t, "p.json", []byte(dataState(false, s2, s2)))
	if !strings.Contains(dump(alone), s2) {
		t.Fatal("an unmarked input alone should hold its copy: the test proves nothing")
	}
}

func rcOnlyPlan(marked bool, pw, copy string) string {
	if marked {
		return fixture.ChangeOnlyMarksPlan(`{"pw":true}`, pw, copy)
	}
	return fixture.ChangeOnlyMarksPlan(`{}`, pw, copy)
}

// TestResourceChangeOnlyMarks: marks written only in a change's
// before_sensitive and after_sensitive are learned, though the object
// itself is read from prior_state.
func TestResourceChangeOnlyMarks(t *testing.T) {
	const s1, s2 = "RCONLY-SECRET-1", "RCONLY-SECRET-2"
	for _, c := range []struct{ name, staging, production string }{
		{"same-input", rcOnlyPlan(true, s1, "x-"+s1), rcOnlyPlan(false, "plain", "plain")},
		{"cross", rcOnlyPlan(true, s1, "plain"), rcOnlyPlan(false, s2, "copy "+s2)},
	} {
		t.Run(c.name, func(t *testing.T) {
			for _, s := range decodeAll(t, c.staging, c.production) {
				assertNoSecret(t, s, []string{s1, s2})
			}
		})
	}
}

// TestEncodedSecretCopies: a secret's copies through jsonencode, urlencode
// (query and path forms), lower and upper are hidden inside other strings
// and as map keys, in another input that holds them unmarked.
func TestEncodedSecretCopies(t *testing.T) {
	const secret = `P@ss/w"rd <&> SECRET1`
	staging := `{"format_version":"1.0","terraform_version":"1.11.4","values":{"root_module":{"resources":[
	 {"address":"aws_x.b","mode":"managed","type":"aws_x","name":"b","values":{"pw":` + jsonString(secret) + `},"sensitive_values":{"pw":true}}]}}}`
	copies := map[string]string{
		"json":      `{"pw":"P@ss/w\"rd <&> SECRET1"}`,
		"json-html": `{"pw":"P@ss/w\"rd \u003c\u0026\u003e SECRET1"}`,
		"query":     "pw=" + url.QueryEscape(secret),
		"path":      "/x/" + url.PathEscape(secret),
		"lower":     "x " + strings.ToLower(secret),
		"upper":     "x " + strings.ToUpper(secret),
	}
	var values, tags []string
	for name, c := range copies {
		values = append(values, jsonString(name)+":"+jsonString(c))
		tags = append(tags, jsonString(c)+":"+jsonString(name))
	}
	production := `{"format_version":"1.0","terraform_version":"1.11.4","values":{"root_module":{"resources":[
	 {"address":"aws_x.b","mode":"managed","type":"aws_x","name":"b","values":{"pw":"other","c":{` + strings.Join(values, ",") + `},"tags":{` + strings.Join(tags, ",") + `}},"sensitive_values":{}}]}}}`
	snaps := decodeAll(t, staging, production)
	var all []string
	for _, c := range copies {
		all = append(all, c)
	}
	all = append(all, "SECRET1", "secret1")
	assertNoSecret(t, snaps[1], all)
	c := at(t, snaps[1].Resources["aws_x.b"].After.Values, "c").(map[string]any)
	for name := range copies {
		if !isSensitive(c[name]) {
			t.Errorf("the %s copy is not hidden", name)
		}
	}
}

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// TestMalformedMarks: marks of a shape Terraform never writes are an
// *InputError naming the file and the resource, never the value, instead
// of being dropped (which printed the value they meant to hide).
func TestMalformedMarks(t *testing.T) {
	const secret = "SECRETVAL-4242"
	state := func(sv string) string {
		return `{"format_version":"1.0","terraform_version":"1.11.4","values":{"root_module":{"resources":[
		 {"address":"aws_db.a","mode":"managed","type":"aws_db","name":"a","values":{"password":"` + secret + `","port":1},"sensitive_values":` + sv + `}]}}}`
	}
	plan := func(sv string) string {
		return `{"format_version":"1.2","terraform_version":"1.11.4","resource_changes":[{"address":"aws_db.a","mode":"managed","type":"aws_db","name":"a",
		 "change":{"actions":["create"],"before":null,"after":{"password":"` + secret + `"},"after_unknown":{},"before_sensitive":false,"after_sensitive":` + sv + `}}]}`
	}
	raw := func(sa string) string {
		return `{"version":4,"terraform_version":"1.11.4","serial":1,"lineage":"x","outputs":{},"resources":[{"mode":"managed","type":"aws_db","name":"a",
		 "instances":[{"attributes":{"password":"` + secret + `","port":1},"sensitive_attributes":[` + sa + `]}]}]}`
	}
	for _, c := range []struct{ name, doc string }{
		{"state/string-leaf", state(`{"password":"x"}`)},
		{"state/number-leaf", state(`{"password":1}`)},
		{"state/list-top", state(`["` + secret + `"]`)},
		{"state/string-top", state(`"yes"`)},
		{"state/string-in-list", state(`{"l":[true,"x"]}`)},
		{"plan/string-leaf", plan(`{"password":"x"}`)},
		{"raw/get_attr-number", raw(`[{"type":"get_attr","value":5}]`)},
		{"raw/unknown-step", raw(`[{"type":"get_attr","value":"password"},{"type":"weird","value":1}]`)},
		{"raw/index-object", raw(`[{"type":"index","value":{"value":{"a":1},"type":"string"}}]`)},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := parser.Decode("bad.json", []byte(c.doc), opts())
			var ie *parser.InputError
			if !errors.As(err, &ie) {
				t.Fatalf("want an *InputError, got %v", err)
			}
			msg := err.Error()
			for _, want := range []string{"bad.json", "aws_db.a", "terraform show -json"} {
				if !strings.Contains(msg, want) {
					t.Errorf("message %q does not name %q", msg, want)
				}
			}
			if strings.Contains(msg, secret) {
				t.Errorf("message %q holds the value", msg)
			}
		})
	}
	// What Terraform writes is accepted.
	for _, doc := range []string{state(`{"password":true,"l":[false,{"a":true}]}`), state(`true`), state(`false`), plan(`{"password":true}`),
		raw(`[{"type":"get_attr","value":"password"},{"type":"index","value":{"value":0,"type":"number"}}]`)} {
		if _, err := parser.Decode("good.json", []byte(doc), opts()); err != nil {
			t.Errorf("rejected %s: %v", doc, err)
		}
	}
}

// TestSecretInAddress: an instance key (for_each, module) that is or
// contains a secret is renamed in every address field, alike in both
// inputs, so that they still match.
func TestSecretInAddress(t *testing.T) {
	const secret = "ADDRSECRET-9981"
	doc := func(marked bool) string {
		sv := `{}`
		if marked {
			sv = `{"password":true}`
		}
		addr := `module.m[\"k-` + secret + `\"].aws_k.k[\"` + secret + `\"]`
		return `{"format_version":"1.2","terraform_version":"1.11.4",
		 "resource_changes":[
		  {"address":"aws_db.a","mode":"managed","type":"aws_db","name":"a","change":{"actions":["create"],"before":null,"after":{"password":"` + secret + `"},"after_unknown":{},"before_sensitive":false,"after_sensitive":` + sv + `}},
		  {"address":"` + addr + `","previous_address":"aws_k.k[\"` + secret + `\"]","module_address":"module.m[\"k-` + secret + `\"]","mode":"managed","type":"aws_k","name":"k","index":"` + secret + `",
		   "change":{"actions":["create"],"before":null,"after":{"v":"1"},"after_unknown":{},"before_sensitive":false,"after_sensitive":{}}},
		  {"address":"aws_k.k[\"plain\"]","mode":"managed","type":"aws_k","name":"k","index":"plain","change":{"actions":["create"],"before":null,"after":{"v":"1"},"after_unknown":{},"before_sensitive":false,"after_sensitive":{}}}],
		 "resource_drift":[{"address":"` + addr + `","mode":"managed","type":"aws_k","name":"k","change":{"actions":["update"],"before":{"v":"0"},"after":{"v":"1"},"after_unknown":{},"before_sensitive":{},"after_sensitive":{}}}]}`
	}
	snaps := decodeAll(t, doc(true), doc(false))
	for _, s := range snaps {
		assertNoSecret(t, s, []string{secret})
		if _, ok := s.Resources[`aws_k.k["plain"]`]; !ok {
			t.Errorf("%s: an address without a secret was renamed", s.Source)
		}
	}
	a, b := sortedResourceKeys(snaps[0]), sortedResourceKeys(snaps[1])
	if strings.Join(a, " ") != strings.Join(b, " ") {
		t.Errorf("addresses differ between the inputs: %v and %v", a, b)
	}
	if !strings.Contains(strings.Join(a, " "), `["(sensitive #`) {
		t.Errorf("no placeholder in %v", a)
	}
}

func sortedResourceKeys(s *snapshot.Snapshot) []string {
	var out []string
	for k, r := range s.Resources {
		if k != r.Address {
			out = append(out, "MISMATCH "+k)
		}
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
