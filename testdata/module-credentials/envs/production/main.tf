# production: module calls that carry credentials the way people write them, in
# the userinfo and in the query string. Every credential contains "LEAK";
# none may ever appear in lockstep's output. The sources are literals, so the
# paths and the port are fixed (see ../../generate.sh). Staging is on
# release v2 of the modules that differ, production on v1.

module "git_userinfo" {
  source = "git::file://x-access-token:LEAKprdGitUserinfo@localhost/tmp/lockstep-modsrc/net.git?ref=v1"
}

module "git_sshkey" {
  source = "git::file:///tmp/lockstep-modsrc/net.git?ref=v1&depth=1&sshkey=LEAKprdSshkey001"
}

module "http_query" {
  source = "http://x-token-auth:LEAKprdHttpUserinfo@127.0.0.1:18765/v1/net.zip?archive=zip&token=LEAKprdToken&access_token=LEAKprdAccessToken&private_token=LEAKprdPrivateToken&password=LEAKprdPassword&secret=LEAKprdSecret&aws_access_key_id=LEAKprdAwsKeyId&aws_access_key_secret=LEAKprdAwsKeySecret&aws_access_token=LEAKprdAwsToken&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=LEAKprdAmzCredential&X-Amz-Security-Token=LEAKprdAmzSecurityToken&X-Amz-Signature=LEAKprdAmzSignature&X-Goog-Signature=LEAKprdGoogSignature&sv=2022-11-02&sig=LEAKprdAzureSig&code=LEAKprdUnknownParam"
}

# The same module in both environments, fetched with other credentials: not
# version skew.
module "same_other_token" {
  source = "git::file://x-access-token:LEAKprdOtherToken@localhost/tmp/lockstep-modsrc/net.git?ref=v1"
}

module "same_no_token" {
  source = "git::file://localhost/tmp/lockstep-modsrc/net.git?ref=v1"
}
