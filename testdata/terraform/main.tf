resource "terraform_data" "network" {
  input = {
    name = "net-${terraform.workspace}"
    cidr = "10.0.0.0/16"
  }
}

resource "terraform_data" "db" {
  # db_password is sensitive; terraform_data copies `input` to `output`
  # without the sensitive mark, which is exactly what lockstep must handle.
  input = {
    name           = "db-${terraform.workspace}"
    engine_version = var.engine_version
    password       = var.db_password
    port           = 5432
  }
}

resource "terraform_data" "worker" {
  count = var.worker_count

  input = {
    name = "worker-${terraform.workspace}-${count.index}"
  }
}

resource "terraform_data" "svc" {
  for_each = var.services

  input = {
    name = "svc-${each.key}-${terraform.workspace}"
    port = each.value
  }
}

resource "terraform_data" "feature_flag" {
  count = var.enable_feature ? 1 : 0

  input = {
    name    = "feature-${terraform.workspace}"
    enabled = true
  }
}

resource "terraform_data" "shield" {
  count = var.enable_shield ? 1 : 0

  input = {
    name = "shield-${terraform.workspace}"
  }
}

resource "terraform_data" "app" {
  count = var.enable_app ? 1 : 0

  # network_id normally comes from this environment's own network; a non-empty
  # var.network_id overrides it (scenario e copies staging's id into production).
  input = {
    name       = "app-${terraform.workspace}"
    network_id = var.network_id != "" ? var.network_id : terraform_data.network.id
  }
}

module "app" {
  source = "./modules/app"

  env       = var.env
  size      = var.size
  web_count = var.web_count
}

output "network_name" {
  description = "Non-sensitive output so the fixtures contain an output value."
  value       = terraform_data.network.output.name
}

output "network_id" {
  description = "The network's id, read by generate.sh to copy it into another environment."
  value       = terraform_data.network.id
}
