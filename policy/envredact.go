package policy

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"reflect"
	"strings"

	"github.com/open-policy-agent/opa/v1/topdown"
	"github.com/open-policy-agent/opa/v1/topdown/print"

	"github.com/lockstep-iac/lockstep/report"
)

// redactedPrint wraps the print hook of a rule whose output may hold
// secrets.
func redactedPrint(h *printHook, redact func(string) string) print.Hook {
	if redact == nil {
		return h
	}
	return printFunc(func(ctx print.Context, msg string) error { return h.Print(ctx, redact(msg)) })
}

type printFunc func(print.Context, string) error

func (f printFunc) Print(ctx print.Context, msg string) error { return f(ctx, msg) }

// writeTrace writes an evaluation trace, each line redacted when redact is
// set: a trace shows the values the rule bound.
func writeTrace(w io.Writer, trace topdown.BufferTracer, redact func(string) string) {
	if redact == nil {
		topdown.PrettyTraceWithLocation(w, trace)
		return
	}
	var buf bytes.Buffer
	topdown.PrettyTraceWithLocation(&buf, trace)
	text := strings.TrimSuffix(buf.String(), "\n")
	for _, line := range strings.Split(text, "\n") {
		fmt.Fprintln(w, redact(line))
	}
}

// redactFinding hides secrets in every text of a finding a --env-policy
// rule made: message, address and details (decoded from the rule's JSON,
// redacted, and decoded again, so that every field is covered).
func redactFinding(f *report.Finding, redact func(string) string) error {
	f.Message = redact(f.Message)
	f.Address = redact(f.Address)
	if reflect.ValueOf(f.Details).IsZero() {
		return nil
	}
	b, err := json.Marshal(f.Details)
	if err != nil {
		return err
	}
	var v any
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return err
	}
	if b, err = json.Marshal(redactValue(v, redact)); err != nil {
		return err
	}
	var d report.Details
	dec = json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(&d); err != nil {
		return err
	}
	f.Details = d
	return nil
}

func redactValue(v any, redact func(string) string) any {
	switch t := v.(type) {
	case string:
		return redact(t)
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, e := range t {
			out[redact(k)] = redactValue(e, redact)
		}
		return out
	case []any:
		for i, e := range t {
			t[i] = redactValue(e, redact)
		}
	}
	return v
}
