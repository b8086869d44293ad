# Written by `lockstep init` from the differences between staging, production.
# Each block declares a difference that exists today as intended. Review each
# one: write its reason, or fix the drift and delete the block. Until its
# reason is written, every check warns about it (unreviewed-declaration).
# The blocks are explained in docs/config.md.

environment "staging" {}

environment "production" {}

# The order changes are promoted in, as given with --env.
promotion = ["staging", "production"]

# input.engine_version differs on 1 resource today (attribute-divergence):
# terraform_data.db.
# The pattern covers every resource of the type there, also those equal today.
expect_difference "terraform_data: input.engine_version" {
  resources  = ["terraform_data.*"]
  attributes = ["input.engine_version"]
  reason     = "TODO: why does this differ?"
}

# output.engine_version differs on 1 resource today (attribute-divergence):
# terraform_data.db.
# The pattern covers every resource of the type there, also those equal today.
expect_difference "terraform_data: output.engine_version" {
  resources  = ["terraform_data.*"]
  attributes = ["output.engine_version"]
  reason     = "TODO: why does this differ?"
}

# Only in staging today (missing-resource):
# terraform_data.feature_flag[0].
only_in "staging" {
  resources = ["terraform_data.feature_flag[0]"]
  reason    = "TODO: why does this exist in staging only?"
}
