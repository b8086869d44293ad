environment "staging" {}
environment "production" {
  aliases = ["prod"]
}
promotion = ["staging", "production"]
