environment "staging" {}
environment "production" {
  aliases = ["prod"]
}
promotion = ["staging", "production"]
expect_difference "sizing" {
  resources  = ["module.app.terraform_data.web[*]"]
  attributes = ["input.size", "output.size"]
  reason     = "production runs larger instances"
}
only_in "production" {
  resources = ["terraform_data.shield[*]"]
  reason    = "DDoS protection is a production-only purchase"
}
