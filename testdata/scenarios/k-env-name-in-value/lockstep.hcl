environment "staging" {
  aliases = ["stg"]
}
environment "production" {
  aliases = ["prod"]
}
promotion = ["staging", "production"]
expect_difference "db-hosts" {
  resources  = ["terraform_data.orders"]
  attributes = ["input.env_vars.DB_HOST", "output.env_vars.DB_HOST"]
  reason     = "each environment has its own database"
}
