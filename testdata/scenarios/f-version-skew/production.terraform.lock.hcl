# This file is maintained automatically by "terraform init".
# Manual edits may be lost in future updates.

provider "registry.terraform.io/hashicorp/null" {
  version     = "3.2.3"
  constraints = "3.2.3"
  hashes = [
    "h1:6X8m6Ap1Tiw8epihy9DwHKGotwbfqTQhmg4Xl5Gr60A=",
  ]
}
