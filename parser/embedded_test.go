package parser

import (
	"fmt"
	"strings"
	"testing"

	"github.com/lockstep-iac/lockstep/snapshot"
)

// TestEmbeddedSecret: a secret marked in one place and repeated unmarked
// inside a longer string elsewhere (a connection string) is hidden there
// too; a very short secret only hides exact repetitions.
func TestEmbeddedSecret(t *testing.T) {
	doc := `{"format_version":"1.0","values":{"root_module":{"resources":[
	 {"address":"a.db","mode":"managed","type":"a","name":"db","values":{"password":"hunter2-long-secret","pin":"abc"},"sensitive_values":{"password":true,"pin":true}},
	 {"address":"a.app","mode":"managed","type":"a","name":"app","values":{"dsn":"postgres://app:hunter2-long-secret@db:5432/x","label":"abcdef","code":"abc"},"sensitive_values":{}}
	]}}}`
	snap, err := Parse("state.json", []byte(doc), Options{Key: []byte("k")})
	if err != nil {
		t.Fatal(err)
	}
	app := snap.Resources["a.app"].Now.Values
	if _, ok := app["dsn"].(snapshot.Sensitive); !ok {
		t.Errorf("dsn embedding the password should be sensitive, got %T", app["dsn"])
	}
	if _, ok := app["code"].(snapshot.Sensitive); !ok {
		t.Errorf("exact repetition of a short secret should be sensitive, got %T", app["code"])
	}
	if app["label"] != "abcdef" {
		t.Errorf("a 3-character secret must not hide longer strings containing it, got %v", app["label"])
	}
	if dump := fmt.Sprintf("%#v", snap); strings.Contains(dump, "hunter2") {
		t.Errorf("snapshot holds the secret in clear text")
	}
}
