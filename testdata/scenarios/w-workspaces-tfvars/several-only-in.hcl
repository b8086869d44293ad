# Issue 17: two only_in blocks for one resource say it belongs to both
# environments, so staging's audit missing from production is a finding,
# and dev, not named, is meant to lack it.
only_in "staging" {
  resources = ["terraform_data.audit[*]"]
  reason    = "the audit runs in staging and production"
}

only_in "production" {
  resources = ["terraform_data.audit[*]"]
  reason    = "the audit runs in staging and production"
}

only_in "dev" {
  resources = ["terraform_data.debug_tools[*]"]
  reason    = "debugging tools are for dev only"
}

expect_difference "everything-else" {
  resources  = ["**"]
  attributes = ["**"]
  reason     = "this file is about only_in"
}
