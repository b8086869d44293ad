# Written by `lockstep init` from the differences between staging, production.
# Each block declares a difference that exists today as intended. Review each
# one: write its reason, or fix the drift and delete the block. Until its
# reason is written, every check warns about it (unreviewed-declaration).
# The blocks are explained in docs/config.md.

environment "staging" {}

environment "production" {}

# The order changes are promoted in, as given with --env.
promotion = ["staging", "production"]
