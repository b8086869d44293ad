# This file is maintained automatically by "terraform init".
# Manual edits may be lost in future updates.

provider "registry.terraform.io/hashicorp/null" {
  version     = "3.2.4"
  constraints = "3.2.4"
  hashes = [
    "h1:ICjGimrdk7RXN4NP5eHzElZAw+/4KfFpUQ34qWP1y0s=",
  ]
}
