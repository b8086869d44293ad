# The fleet's defaults: every stack has these environments, in this
# promotion order, unless its own lockstep.hcl says otherwise.
environment "dev" {}
environment "staging" {}
environment "production" {}
promotion = ["dev", "staging", "production"]

# Every waiver names its change ticket and approver (the report flags
# those that do not).
require_ticket = true

expect_difference "database-passwords" {
  resources  = ["terraform_data.db[*]"]
  attributes = ["input.password", "output.password"]
  reason     = "every environment has its own database password"
}
