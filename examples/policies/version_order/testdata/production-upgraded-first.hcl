# Scenario f's lock files the other way round: production's lock file has
# hashicorp/null 3.2.4 and staging's 3.2.3, as if the provider upgrade had
# been committed for production first. Used by version_order_test.rego with
# scenario f's plans, also swapped. Paths are relative to this file.
environment "staging" {
  lockfile = "../../../../testdata/scenarios/f-version-skew/production.terraform.lock.hcl"
}
environment "production" {
  lockfile = "../../../../testdata/scenarios/f-version-skew/staging.terraform.lock.hcl"
}
promotion = ["staging", "production"]
