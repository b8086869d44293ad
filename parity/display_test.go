package parity_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/lockstep-iac/lockstep/report"
)

func TestSensitive(t *testing.T) {
	f := pair(t,
		snap(res("aws_x.a", vals{
			"password": sens("aaaa"), "token": sens("t1"), "plain_vs_secret": "visible",
			"list": []any{sens("aaaa"), "x"}, "same": sens("cccc"),
		})),
		snap(res("aws_x.a", vals{
			"password": sens("bbbb"), "token": "hunter2", "plain_vs_secret": sens("dddd"),
			"list": []any{sens("bbbb")}, "same": sens("cccc"),
		})))
	r := resource(t, f, "aws_x.a")
	if got, want := paths(r), []string{"list", "plain_vs_secret", "token"}; !slices.Equal(got, want) {
		t.Fatalf("paths %v, want %v", got, want)
	}
	list := attr(t, r, "list")
	if !json.Valid([]byte(mustJSON(t, list))) || !slices.Equal(list.Now["staging"].([]any), []any{report.SensitiveText, "x"}) ||
		!slices.Equal(list.Now["production"].([]any), []any{report.SensitiveText}) {
		t.Errorf("list: now %#v", list.Now)
	}
	if v := attr(t, r, "token").Now["staging"]; v != report.SensitiveText {
		t.Errorf("token staging = %#v, want %q", v, report.SensitiveText)
	}
	if v := attr(t, r, "plain_vs_secret").After["production"]; v != report.SensitiveText {
		t.Errorf("plain_vs_secret production = %#v", v)
	}
	j := mustJSON(t, f)
	for _, h := range []string{"aaaa", "bbbb", "dddd", "t1"} {
		if strings.Contains(j, h) {
			t.Errorf("facts show the sensitive hash %q", h)
		}
	}
}
