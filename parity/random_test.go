package parity_test

import (
	"slices"
	"testing"

	"github.com/lockstep-iac/lockstep/snapshot"
)

// Generated values of random_id.suffix (byte_length 4) per environment.
var (
	stgRandom = vals{"id": "3q2-7w", "byte_length": num("4"), "hex": "deadbeef", "b64_std": "3q2+7w==", "b64_url": "3q2-7w", "dec": "3735928559"}
	prdRandom = vals{"id": "yv66vg", "byte_length": num("4"), "hex": "cafebabe", "b64_std": "yv66vg==", "b64_url": "yv66vg", "dec": "3405691582"}
)

// TestRandomResults: generated values of random resources differ between
// environments by nature, and so do values built from them.
func TestRandomResults(t *testing.T) {
	tests := []struct {
		name                string
		staging, production []*snapshot.Resource
		canonical           string
		differs             []string
	}{
		{
			name:       "random_id results",
			staging:    []*snapshot.Resource{res("random_id.suffix", stgRandom)},
			production: []*snapshot.Resource{res("random_id.suffix", prdRandom)},
			canonical:  "random_id.suffix",
		},
		{
			name:       "random_id byte_length still compared",
			staging:    []*snapshot.Resource{res("random_id.suffix", stgRandom)},
			production: []*snapshot.Resource{res("random_id.suffix", vals{"hex": "cafebabe12", "byte_length": num("5")})},
			canonical:  "random_id.suffix",
			differs:    []string{"byte_length"},
		},
		{
			name:       "other random types",
			staging:    []*snapshot.Resource{res("random_string.s", vals{"id": "Xk9mPq2L", "result": "Xk9mPq2L", "length": num("8")}), res("random_pet.p", vals{"id": "sunny-goat"})},
			production: []*snapshot.Resource{res("random_string.s", vals{"id": "Zz1aBb3C", "result": "Zz1aBb3C", "length": num("8")}), res("random_pet.p", vals{"id": "brave-owl"})},
			canonical:  "random_string.s",
		},
		{
			name:       "result of a non-random type is compared",
			staging:    []*snapshot.Resource{res("aws_x.a", vals{"hex": "deadbeef", "result": "a"})},
			production: []*snapshot.Resource{res("aws_x.a", vals{"hex": "cafebabe", "result": "b"})},
			canonical:  "aws_x.a",
			differs:    []string{"hex", "result"},
		},
		{
			name:       "bucket names embed each environment's own hex",
			staging:    []*snapshot.Resource{res("random_id.suffix", stgRandom), res("aws_s3_bucket.b", vals{"bucket": "my-bucket-deadbeef"})},
			production: []*snapshot.Resource{res("random_id.suffix", prdRandom), res("aws_s3_bucket.b", vals{"bucket": "my-bucket-cafebabe"})},
			canonical:  "aws_s3_bucket.b",
		},
		{
			name:       "embedded dec and environment name",
			staging:    []*snapshot.Resource{res("random_id.suffix", stgRandom), res("aws_s3_bucket.b", vals{"bucket": "app-staging-3735928559"})},
			production: []*snapshot.Resource{res("random_id.suffix", prdRandom), res("aws_s3_bucket.b", vals{"bucket": "app-prod-3405691582"})},
			canonical:  "aws_s3_bucket.b",
		},
		{
			name:       "embedded in a nested value",
			staging:    []*snapshot.Resource{res("random_id.suffix", stgRandom), res("aws_x.a", vals{"cfg": []any{vals{"log": "s3://logs-deadbeef/app"}}})},
			production: []*snapshot.Resource{res("random_id.suffix", prdRandom), res("aws_x.a", vals{"cfg": []any{vals{"log": "s3://logs-cafebabe/app"}}})},
			canonical:  "aws_x.a",
		},
		{
			name: "random resources inside per-environment module keys",
			staging: []*snapshot.Resource{res(`module.m["staging"].random_id.suffix`, stgRandom),
				res(`module.m["staging"].aws_s3_bucket.b`, vals{"bucket": "my-bucket-deadbeef"})},
			production: []*snapshot.Resource{res(`module.m["production"].random_id.suffix`, prdRandom),
				res(`module.m["production"].aws_s3_bucket.b`, vals{"bucket": "my-bucket-cafebabe"})},
			canonical: `module.m["${env}"].aws_s3_bucket.b`,
		},
		{
			name:       "each embeds the other environment's hex",
			staging:    []*snapshot.Resource{res("random_id.suffix", stgRandom), res("aws_s3_bucket.b", vals{"bucket": "my-bucket-cafebabe"})},
			production: []*snapshot.Resource{res("random_id.suffix", prdRandom), res("aws_s3_bucket.b", vals{"bucket": "my-bucket-deadbeef"})},
			canonical:  "aws_s3_bucket.b",
			differs:    []string{"bucket"},
		},
		{
			name:       "production embeds staging's hex",
			staging:    []*snapshot.Resource{res("random_id.suffix", stgRandom), res("aws_s3_bucket.b", vals{"bucket": "app-staging-deadbeef"})},
			production: []*snapshot.Resource{res("random_id.suffix", prdRandom), res("aws_s3_bucket.b", vals{"bucket": "app-production-deadbeef"})},
			canonical:  "aws_s3_bucket.b",
			differs:    []string{"bucket"},
		},
		{
			// Current behaviour: identical strings are equal before any
			// normalisation, as with identifiers held literally.
			name:       "both hold the very same name embedding staging's hex",
			staging:    []*snapshot.Resource{res("random_id.suffix", stgRandom), res("aws_s3_bucket.b", vals{"bucket": "my-bucket-deadbeef"})},
			production: []*snapshot.Resource{res("random_id.suffix", prdRandom), res("aws_s3_bucket.b", vals{"bucket": "my-bucket-deadbeef"})},
			canonical:  "aws_s3_bucket.b",
		},
		{
			name:       "a literal different suffix",
			staging:    []*snapshot.Resource{res("random_id.suffix", stgRandom), res("aws_s3_bucket.b", vals{"bucket": "my-bucket-deadbeef"})},
			production: []*snapshot.Resource{res("random_id.suffix", prdRandom), res("aws_s3_bucket.b", vals{"bucket": "my-bucket-0badf00d"})},
			canonical:  "aws_s3_bucket.b",
			differs:    []string{"bucket"},
		},
		{
			name:       "different random attributes embedded",
			staging:    []*snapshot.Resource{res("random_id.suffix", stgRandom), res("aws_s3_bucket.b", vals{"bucket": "my-bucket-deadbeef"})},
			production: []*snapshot.Resource{res("random_id.suffix", prdRandom), res("aws_s3_bucket.b", vals{"bucket": "my-bucket-3405691582"})},
			canonical:  "aws_s3_bucket.b",
			differs:    []string{"bucket"},
		},
		{
			name:       "without random resources the suffixes differ",
			staging:    []*snapshot.Resource{res("aws_s3_bucket.b", vals{"bucket": "my-bucket-deadbeef"})},
			production: []*snapshot.Resource{res("aws_s3_bucket.b", vals{"bucket": "my-bucket-cafebabe"})},
			canonical:  "aws_s3_bucket.b",
			differs:    []string{"bucket"},
		},
		{
			name:       "short random values are not replaced",
			staging:    []*snapshot.Resource{res("random_id.suffix", vals{"hex": "beef"}), res("aws_s3_bucket.b", vals{"bucket": "my-bucket-beef"})},
			production: []*snapshot.Resource{res("random_id.suffix", vals{"hex": "cafe"}), res("aws_s3_bucket.b", vals{"bucket": "my-bucket-cafe"})},
			canonical:  "aws_s3_bucket.b",
			differs:    []string{"bucket"},
		},
		{
			name: "a planned random value",
			staging: []*snapshot.Resource{res("random_id.suffix", stgRandom),
				planned("aws_s3_bucket.b", nil, vals{"bucket": "my-bucket-deadbeef"}, "create")},
			production: []*snapshot.Resource{planned("random_id.suffix", nil, prdRandom, "create"),
				planned("aws_s3_bucket.b", nil, vals{"bucket": "my-bucket-cafebabe"}, "create")},
			canonical: "aws_s3_bucket.b",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := pair(t, snap(tt.staging...), snap(tt.production...))
			want := tt.differs
			if want == nil {
				want = []string{}
			}
			if got := paths(resource(t, f, tt.canonical)); !slices.Equal(got, want) {
				t.Errorf("differing paths %v, want %v", got, want)
			}
			// A random resource never differs in its generated values.
			for _, r := range f.Resources {
				if r.Type != "random_id" && r.Type != "random_string" && r.Type != "random_pet" {
					continue
				}
				for _, p := range paths(r) {
					if p != "byte_length" && p != "length" {
						t.Errorf("%s differs at %s", r.Canonical, p)
					}
				}
			}
		})
	}
}
