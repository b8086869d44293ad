# Issue 17: where the fix belongs. Each workspace is the same configuration
# (source), planned with its own var file (var_files); findings about a value
# that comes from a root variable also point at the line that sets it.
environment "dev" {
  source    = "config"
  var_files = ["config/dev.tfvars"]
}
environment "staging" {
  source    = "config"
  var_files = ["config/staging.tfvars"]
}
environment "production" {
  source    = "config"
  var_files = ["config/production.tfvars"]
}
