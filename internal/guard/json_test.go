package guard

import (
	"errors"
	"strings"
	"testing"
)

func TestJSON(t *testing.T) {
	tests := []struct {
		name string
		src  string
		kind Kind // 0: fine
		// line and column of the problem, path when one is reported.
		line, col int
		path      string
	}{
		{"object", `{"a": [1, {"b": null}], "c": "x"}`, 0, 0, 0, ""},
		{"arrays at the limit", nest("[", "", "]", MaxDepth), 0, 0, 0, ""},
		{"arrays over the limit", nest("[", "", "]", MaxDepth+1), TooDeep, 1, MaxDepth + 1, ""},
		{"objects over the limit", `{"x":` + "\n" + nest(`{"a":`, "1", "}", MaxDepth) + "\n}", TooDeep, 2, 1 + 5*(MaxDepth-1), ""},
		{"brackets in strings do not count", `{"a": "` + strings.Repeat("[", 2*MaxDepth) + `"}`, 0, 0, 0, ""},
		{"duplicate key at the top", "{\"a\": 1,\n \"a\": 2}", DuplicateKey, 2, 2, "a"},
		{"duplicate key in structure", `{"resource_changes": [{"address": "x", "address": "y"}]}`, DuplicateKey, 1, 40, "resource_changes[0].address"},
		{"duplicate key below a value", `{"resource_changes": [{"change": {"after_sensitive": {"tags": {"k": true, "k": false}}}}]}`,
			DuplicateKey, 1, 75, "resource_changes[0].change.after_sensitive.*.*"},
		{"duplicate numeric key below a value", `{"resources": [{"values": {"1234": 1, "1234": 2}}]}`, DuplicateKey, 1, 39, "resources[0].values.*"},
		{"a state's values are structure", `{"values": {"root_module": {"resources": [{"values": {"k": 1, "k": 2}}]}}}`,
			DuplicateKey, 1, 63, "values.root_module.resources[0].values.*"},
		{"a prior state's values are structure", `{"prior_state": {"values": {"outputs": {"o": {"value": {"k": 1, "k": 2}}}}}}`,
			DuplicateKey, 1, 65, "prior_state.values.outputs.o.value.*"},
		{"keys equal after unescaping", `{"a": 1, "\u0061": 2}`, DuplicateKey, 1, 10, "a"},
		{"same key in different objects", `{"a": {"k": 1}, "b": {"k": 1}}`, 0, 0, 0, ""},
		{"lone surrogate", `{"a": "\ud800"}`, Syntax, 1, 8, ""},
		{"truncated", `{"a": [1, 2`, Syntax, 1, 12, ""},
		{"two documents", `{"a": 1} {"b": 2}`, Syntax, 1, 10, ""},
		{"trailing white space", "{\"a\": 1}\n\n", 0, 0, 0, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := JSON([]byte(tc.src))
			if tc.kind == 0 {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			var ge *Error
			if !errors.As(err, &ge) {
				t.Fatalf("got %v, want an *Error", err)
			}
			if ge.Kind != tc.kind || ge.Line != tc.line || ge.Column != tc.col || ge.Path != tc.path {
				t.Errorf("got kind %d at %d:%d path %q, want kind %d at %d:%d path %q (%v)", ge.Kind, ge.Line, ge.Column, ge.Path, tc.kind, tc.line, tc.col, tc.path, err)
			}
		})
	}
}

// TestJSONNeverQuotesValues: no part of a string may reach the message.
func TestJSONNeverQuotesValues(t *testing.T) {
	for _, src := range []string{
		`{"a": "hunter2\ud800"}`, `{"a": "hunter2\x"}`, `{"x": {"values": {"hunter2": 1, "hunter2": 2}}}`,
	} {
		err := JSON([]byte(src))
		if err == nil || strings.Contains(err.Error(), "hunter2") || strings.Contains(err.Error(), `\u`) {
			t.Errorf("%s: %v", src, err)
		}
	}
}

// TestValue: a value checked on its own, at the depth it sits in its
// document, is held to MaxDepth counted from the document's top, and its
// duplicate keys are refused.
func TestValue(t *testing.T) {
	for _, tc := range []struct {
		name  string
		src   string
		depth int
		kind  Kind
	}{
		{"fits at the top", nest("[", "", "]", MaxDepth), 0, 0},
		{"fits one level down", nest("[", "", "]", MaxDepth-1), 1, 0},
		{"too deep one level down", nest("[", "", "]", MaxDepth), 1, TooDeep},
		{"duplicate key", `{"a":1,"a":2}`, 1, DuplicateKey},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := Value([]byte(tc.src), tc.depth)
			var ge *Error
			switch {
			case tc.kind == 0 && err != nil:
				t.Fatalf("unexpected error %v", err)
			case tc.kind != 0 && (!errors.As(err, &ge) || ge.Kind != tc.kind):
				t.Fatalf("got %v, want kind %d", err, tc.kind)
			}
		})
	}
}

// TestNesting counts the nesting MaxDepth bounds, without counting
// brackets inside strings, escaped quotes included.
func TestNesting(t *testing.T) {
	for _, tc := range []struct {
		src  string
		want int
	}{
		{`1`, 0},
		{`[]`, 1},
		{`{"a":[{"b":[]}]}`, 4},
		{`["[[[", "\"[[", "\\", [1]]`, 2},
		{`{"a\\\"{":"}\\"}`, 1},
		{nest("[", "", "]", MaxDepth+1), MaxDepth + 1},
	} {
		if got := Nesting([]byte(tc.src)); got != tc.want {
			t.Errorf("Nesting(%.40s) = %d, want %d", tc.src, got, tc.want)
		}
	}
}
