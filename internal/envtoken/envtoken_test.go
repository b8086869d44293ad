package envtoken

import (
	"reflect"
	"testing"
)

func TestFind(t *testing.T) {
	tokens := []string{"staging", "stg", "prod", "production", "dev"}
	for _, tc := range []struct {
		value string
		want  []string
	}{
		{"orders-staging", []string{"staging"}},                               // suffix
		{"staging-orders-dlq", []string{"staging"}},                           // prefix
		{"https://admin.staging.example.com", []string{"staging"}},            // infix
		{"DB-STAGING.internal", []string{"staging"}},                          // upper case
		{"Staging", []string{"staging"}},                                      // the whole value
		{"payments-stg.internal:8443", []string{"stg"}},                       // an alias
		{`{"Resource":"arn:aws:s3:::assets-staging/*"}`, []string{"staging"}}, // JSON
		{"orders_staging", []string{"staging"}},                               // underscore delimits
		{"https://products.example.com/v2", nil},                              // prod inside a word
		{"prodigy-shop", nil},
		{"device-pool", nil},
		{"stagingarea", nil},
		{"ordersStaging", nil}, // camel case is one word
		{"stg2", nil},          // a digit continues the word
		{"staging-to-prod", []string{"staging", "prod"}},
		{"production-db", []string{"production"}},
		{"", nil},
	} {
		if got := Find(tc.value, tokens); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Find(%q) = %q, want %q", tc.value, got, tc.want)
		}
	}
}

func TestHas(t *testing.T) {
	for _, tc := range []struct {
		value, token string
		want         bool
	}{
		{"prod-prodx", "prod", true},   // the second occurrence is no word, the first is
		{"prodx-prod", "prod", true},   // the first is no word, a later one is
		{"prodx-xprod", "prod", false}, // neither
		{"x", "", false},
		{"st", "stg", false},
	} {
		if got := Has(tc.value, tc.token); got != tc.want {
			t.Errorf("Has(%q, %q) = %v, want %v", tc.value, tc.token, got, tc.want)
		}
	}
	if Lower("AbC-é") != "abc-é" {
		t.Errorf("Lower: %q", Lower("AbC-é"))
	}
}

// TestFindAllocates: Find runs on every string of every resource, so a
// value that names no environment costs no allocation, whatever its case.
func TestFindAllocates(t *testing.T) {
	tokens := []string{"staging", "stg", "production", "prod"}
	if n := testing.AllocsPerRun(100, func() { Find("ARN:AWS:SQS:EU-WEST-1:ORDERS-PRODUCTS", tokens) }); n != 0 {
		t.Errorf("Find allocates %v times for no match", n)
	}
}
