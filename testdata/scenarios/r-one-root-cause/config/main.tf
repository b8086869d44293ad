# r-one-root-cause: one configuration, workspaces staging and production
# (testdata/generate.sh, issue 16 item 6).

variable "engine_version" {
  type = string
}

variable "enable_replica" {
  type    = bool
  default = false
}

# network_id is the replica's network; generate.sh passes staging's network
# id to production, as if copied from staging's tfvars.
variable "network_id" {
  type    = string
  default = ""
}

resource "terraform_data" "network" {
  input = {
    name = "net-${terraform.workspace}"
  }
}

resource "terraform_data" "db" {
  input = {
    name           = "db-${terraform.workspace}"
    engine_version = var.engine_version
  }
}

resource "terraform_data" "replica" {
  count = var.enable_replica ? 1 : 0

  input = {
    name       = "replica-${terraform.workspace}"
    network_id = var.network_id != "" ? var.network_id : terraform_data.network.id
  }
}

output "network_id" {
  value = terraform_data.network.id
}
