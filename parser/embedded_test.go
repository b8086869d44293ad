package parser

import (
	"errors"
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
	app := snapshot.Plain(snap.Resources["a.app"].Now.Values).(map[string]any)
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

// TestSecretMapKeys: a known secret value used as a map key elsewhere is
// renamed, so attribute paths cannot print it.
func TestSecretMapKeys(t *testing.T) {
	doc := `{"format_version":"1.0","values":{"root_module":{"resources":[
	 {"address":"a.creds","mode":"managed","type":"a","name":"creds","values":{"token":"alice-token-9f8e7d"},"sensitive_values":{"token":true}},
	 {"address":"a.copy","mode":"managed","type":"a","name":"copy","values":{"acl":{"alice-token-9f8e7d":"read","bob":"write"}},"sensitive_values":{}}
	]}}}`
	snap, err := Parse("state.json", []byte(doc), Options{Key: []byte("k")})
	if err != nil {
		t.Fatal(err)
	}
	acl := snapshot.Plain(snap.Resources["a.copy"].Now.Values.Value("acl")).(map[string]any)
	if _, ok := acl["alice-token-9f8e7d"]; ok || len(acl) != 2 || acl["bob"] != "write" {
		t.Errorf("secret key should be renamed, others kept: %v", acl)
	}
	if dump := fmt.Sprintf("%#v", snap); strings.Contains(dump, "alice-token") {
		t.Errorf("snapshot holds the secret key in clear text")
	}
}

// TestMalformedValues: a resource whose values are not an object is an
// input error naming the resource, not an empty resource.
func TestMalformedValues(t *testing.T) {
	for name, doc := range map[string]string{
		"state": `{"format_version":"1.0","values":{"root_module":{"resources":[{"address":"a.b","mode":"managed","type":"a","name":"b","values":"s3cr3t-not-an-object"}]}}}`,
		"raw":   `{"version":4,"terraform_version":"1.5.7","resources":[{"mode":"managed","type":"a","name":"b","instances":[{"attributes":[1,2]}]}]}`,
	} {
		_, err := Parse(name+".json", []byte(doc), Options{Key: []byte("k")})
		var ie *InputError
		if !errors.As(err, &ie) || !strings.Contains(err.Error(), "should be an object") || !strings.Contains(err.Error(), "a.b") || strings.Contains(err.Error(), "s3cr3t") {
			t.Errorf("%s: got %v, want an InputError naming a.b and saying the values should be an object, without the value", name, err)
		}
	}
}
