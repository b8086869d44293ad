package jsonkind

import (
	"encoding/json"
	"reflect"
	"testing"
)

func TestOf(t *testing.T) {
	for _, tc := range []struct {
		v    any
		want string
	}{
		{nil, "null"},
		{"s3cr3t", "a string"},
		{json.Number("1"), "a number"},
		{1.5, "a number"},
		{true, "a boolean"},
		{[]any{1}, "an array"},
		{map[string]any{}, "an object"},
		{struct{}{}, "a struct {}"},
	} {
		if got := Of(tc.v).Phrase(); got != tc.want {
			t.Errorf("Of(%#v).Phrase() = %q, want %q", tc.v, got, tc.want)
		}
	}
}

func TestOfGo(t *testing.T) {
	for _, tc := range []struct {
		k    reflect.Kind
		want string
	}{
		{reflect.String, "a string"},
		{reflect.Bool, "a boolean"},
		{reflect.Int64, "a number"},
		{reflect.Uint8, "a number"},
		{reflect.Float64, "a number"},
		{reflect.Slice, "an array"},
		{reflect.Array, "an array"},
		{reflect.Map, "an object"},
		{reflect.Struct, "an object"},
		{reflect.Interface, "an interface"},
	} {
		if got := OfGo(tc.k).Phrase(); got != tc.want {
			t.Errorf("OfGo(%v).Phrase() = %q, want %q", tc.k, got, tc.want)
		}
	}
}
