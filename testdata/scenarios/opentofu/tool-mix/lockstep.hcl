environment "staging" {
  lockfile = "staging.terraform.lock.hcl"
}
environment "production" {
  lockfile = "production.terraform.lock.hcl"
}
promotion = ["staging", "production"]
