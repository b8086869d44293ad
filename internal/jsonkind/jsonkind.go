// Package jsonkind names the type of a JSON value in the words every
// lockstep error uses ("a string", "an object", "null"), never the value
// itself: input errors must not quote what may be a secret. It is the one
// namer for the parser's decoded values, encoding/json's type errors and a
// rule's findings, so the three say the same thing the same way.
package jsonkind

import (
	"encoding/json"
	"reflect"
)

// Kind is one of JSON's six types, or the name of something else.
type Kind string

// JSON's types.
const (
	Null    Kind = "null"
	String  Kind = "string"
	Number  Kind = "number"
	Boolean Kind = "boolean"
	Array   Kind = "array"
	Object  Kind = "object"
)

// Phrase is the kind with its article: "a string", "an array", "null".
func (k Kind) Phrase() string {
	switch {
	case k == Null || k == "":
		return string(Null)
	case k[0] == 'a' || k[0] == 'e' || k[0] == 'i' || k[0] == 'o' || k[0] == 'u':
		return "an " + string(k)
	}
	return "a " + string(k)
}

// Of is the kind of a value decoded from JSON (into any, with or without
// UseNumber). A Go value JSON cannot hold is named by its Go type.
func Of(v any) Kind {
	switch v.(type) {
	case nil:
		return Null
	case string:
		return String
	case json.Number, float64, int, int64:
		return Number
	case bool:
		return Boolean
	case []any:
		return Array
	case map[string]any:
		return Object
	}
	return Kind(reflect.TypeOf(v).String())
}

// OfGo is the kind of JSON a Go type of that kind is decoded from, as in an
// encoding/json UnmarshalTypeError; another kind is named as Go names it.
func OfGo(k reflect.Kind) Kind {
	switch k {
	case reflect.String:
		return String
	case reflect.Bool:
		return Boolean
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64:
		return Number
	case reflect.Slice, reflect.Array:
		return Array
	case reflect.Map, reflect.Struct:
		return Object
	}
	return Kind(k.String())
}
