# Scenario l-embedded-identifier: one configuration, workspaces staging and
# production. The app's endpoint URL, JSON-encoded environment list,
# connection string and peer address embed the network's id; production
# was applied with staging's network id (-var network_id=...).
variable "network_id" {
  type    = string
  default = ""
}

resource "terraform_data" "network" {
  input = {
    cidr = "10.0.0.0/16"
  }
}

locals {
  network_id = var.network_id != "" ? var.network_id : terraform_data.network.id
}

resource "terraform_data" "app" {
  input = {
    endpoint = "https://api.internal/networks/${local.network_id}/routes"
    env_json = jsonencode([{ name = "NETWORK", value = local.network_id }, { name = "REGION", value = "eu-west-1" }])
    dsn      = "host=db.internal port=5432 dbname=orders application_name=app;network=${local.network_id}"
    peer     = "mesh@${local.network_id}"
  }
}

output "network_id" {
  value = terraform_data.network.id
}
