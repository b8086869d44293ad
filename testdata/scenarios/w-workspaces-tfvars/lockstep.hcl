# Issue 17: environment-scoped declarations and deep patterns, on three
# workspaces of one configuration (see ../README.md).
environment "dev" {}
environment "staging" {
  aliases = ["stg"]
}
environment "production" {
  aliases = ["prod"]
}
promotion = ["dev", "staging", "production"]

# dev runs release candidates; staging and production must still agree.
expect_difference "release-candidates" {
  environments = ["dev"]
  resources    = ["module.app[*].terraform_data.deployment"]
  attributes   = ["*.image"]
  reason       = "dev runs the next release's images"
}

# dev logs at debug, in the sidecar module at any depth.
expect_difference "debug-logging" {
  environments = ["dev"]
  resources    = ["module.app[*].**.terraform_data.agent"]
  attributes   = ["**.log_level"]
  reason       = "dev logs everything"
}

# Production alone scales out, in another region.
expect_difference "production-sizing" {
  environments = ["prod"]
  resources    = ["module.**.terraform_data.deployment"]
  attributes   = ["*.replicas", "*.region"]
  reason       = "production carries the traffic"
}

# Security groups sit in nested lists; the tier label's key has dots.
expect_difference "network-and-tier" {
  resources  = ["**.terraform_data.deployment"]
  attributes = ["**.security_groups", "**.labels.\"app.kubernetes.io/tier\""]
  reason     = "each environment has its own network rules and tier"
}

only_in "dev" {
  resources = ["terraform_data.debug_tools[*]"]
  reason    = "debugging tools are for dev only"
}

only_in "stg" {
  resources = ["terraform_data.audit[*]"]
  reason    = "the audit runs in staging first"
}
