# Written by `lockstep init` from the differences between staging, production.
# Each block declares a difference that exists today as intended. Review each
# one: write its reason, or fix the drift and delete the block. Until its
# reason is written, every check warns about it (unreviewed-declaration).
# The blocks are explained in docs/config.md.

environment "staging" {}

environment "production" {}

# The order changes are promoted in, as given with --env.
promotion = ["staging", "production"]

# input.size differs on 2 resources today (attribute-divergence):
# module.app.terraform_data.web[0], module.app.terraform_data.web[1].
# The pattern covers every resource of the type there, also those equal today.
expect_difference "terraform_data: input.size" {
  resources  = ["module.app.terraform_data.*"]
  attributes = ["input.size"]
  reason     = "TODO: why does this differ?"
}

# output.size differs on 2 resources today (attribute-divergence):
# module.app.terraform_data.web[0], module.app.terraform_data.web[1].
# The pattern covers every resource of the type there, also those equal today.
expect_difference "terraform_data: output.size" {
  resources  = ["module.app.terraform_data.*"]
  attributes = ["output.size"]
  reason     = "TODO: why does this differ?"
}

# Only in production today (missing-resource):
# terraform_data.shield[0].
only_in "production" {
  resources = ["terraform_data.shield[0]"]
  reason    = "TODO: why does this exist in production only?"
}
