package parity_test

import (
	"encoding/json"
	"testing"
)

func TestFactsJSONShape(t *testing.T) {
	f := pair(t, snap(res("aws_x.a", vals{"v": "1"})), snap())
	var doc map[string]any
	if err := json.Unmarshal([]byte(mustJSON(t, f)), &doc); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"environments", "target", "previous", "resources"} {
		if _, ok := doc[k]; !ok {
			t.Errorf("facts JSON lacks %q", k)
		}
	}
	r := doc["resources"].([]any)[0].(map[string]any)
	for _, k := range []string{"address", "canonical", "type", "only_in", "environments", "attributes"} {
		if v, ok := r[k]; !ok || v == nil {
			t.Errorf("resource JSON lacks %q or it is null", k)
		}
	}
	if _, ok := r["promotion"]; ok {
		t.Error("promotion should be omitted without a target")
	}
}
