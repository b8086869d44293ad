package runtask

import (
	"strings"
	"testing"
)

// FuzzParse: any body, signed by whoever holds the key, is a request or an
// error, never a panic; a request Parse accepts has what a run needs, and
// an error never repeats the body's token.
func FuzzParse(f *testing.F) {
	f.Add([]byte(`{"payload_version":1,"access_token":"tok-abc","stage":"pre_apply","task_result_id":"taskrs-1","task_result_callback_url":"https://app.terraform.io/api/v2/task-results/taskrs-1/callback","organization_name":"acme","workspace_name":"app-production","run_id":"run-1"}`))
	f.Add([]byte(`{"payload_version":1,"access_token":"verification-token"}`))
	f.Add([]byte(`{"payload_version":1,"access_token":"a","access_token":"b"}`))
	f.Add([]byte(`{"payload_version":2}`))
	f.Add([]byte(`[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]`))
	f.Fuzz(func(t *testing.T, body []byte) {
		r, err := Parse(body)
		if err != nil {
			if r != nil {
				t.Fatal("a request and an error")
			}
			return
		}
		if r.PayloadVersion != 1 || r.AccessToken == "" {
			t.Fatalf("accepted %+v", r)
		}
		if !r.Verification() && (r.TaskResultID == "" || r.TaskResultCallbackURL == "" || r.OrganizationName == "" || r.WorkspaceName == "") {
			t.Fatalf("accepted a request without what a run needs: %q", body)
		}
		if strings.Contains(r.Stage, "-") {
			t.Fatalf("stage %q not normalised", r.Stage)
		}
	})
}

// TestParseRefusesDuplicateNames: a body naming access_token twice is
// refused, as every JSON lockstep reads.
func TestParseRefusesDuplicateNames(t *testing.T) {
	_, err := Parse([]byte(`{"payload_version":1,"access_token":"a","access_token":"b","task_result_id":"t","task_result_callback_url":"https://x/cb","organization_name":"o","workspace_name":"w"}`))
	if err == nil || !strings.Contains(err.Error(), "access_token") {
		t.Fatalf("got %v, want an error naming the duplicate access_token", err)
	}
}
