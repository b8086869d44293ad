# staging: module calls that carry credentials the way people write them, in
# the userinfo and in the query string. Every credential contains "LEAK";
# none may ever appear in lockstep's output. The sources are literals, so the
# paths and the port are fixed (see ../../generate.sh). Staging is on
# release v2 of the modules that differ, production on v1.

module "git_userinfo" {
  source = "git::file://x-access-token:LEAKstgGitUserinfo@localhost/tmp/lockstep-modsrc/net.git?ref=v2"
}

module "git_sshkey" {
  source = "git::file:///tmp/lockstep-modsrc/net.git?ref=v2&depth=1&sshkey=LEAKstgSshkey001"
}

module "http_query" {
  source = "http://x-token-auth:LEAKstgHttpUserinfo@127.0.0.1:18765/v2/net.zip?archive=zip&token=LEAKstgToken&access_token=LEAKstgAccessToken&private_token=LEAKstgPrivateToken&password=LEAKstgPassword&secret=LEAKstgSecret&aws_access_key_id=LEAKstgAwsKeyId&aws_access_key_secret=LEAKstgAwsKeySecret&aws_access_token=LEAKstgAwsToken&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=LEAKstgAmzCredential&X-Amz-Security-Token=LEAKstgAmzSecurityToken&X-Amz-Signature=LEAKstgAmzSignature&X-Goog-Signature=LEAKstgGoogSignature&sv=2022-11-02&sig=LEAKstgAzureSig&code=LEAKstgUnknownParam"
}

# The same module in both environments, fetched with other credentials: not
# version skew.
module "same_other_token" {
  source = "git::file://x-access-token:LEAKstgOtherToken@localhost/tmp/lockstep-modsrc/net.git?ref=v1"
}

module "same_no_token" {
  source = "git::file://x-access-token:LEAKstgNoToken@localhost/tmp/lockstep-modsrc/net.git?ref=v1"
}
