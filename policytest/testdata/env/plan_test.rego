package main

import rego.v1

test_public_bucket_denied if {
	deny["aws_s3_bucket.a is public"] with input as {"resource_changes": [{"address": "aws_s3_bucket.a", "change": {"after": {"acl": "public-read"}}}]}
}

test_private_bucket_fails if {
	deny["aws_s3_bucket.a is public"] with input as {"resource_changes": [{"address": "aws_s3_bucket.a", "change": {"after": {"acl": "private"}}}]}
}
