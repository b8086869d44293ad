# Production's root module: one directory per environment, no workspaces. The
# module call carries the environment's token (production's alias is prod).

variable "env" {
  type = string
}

variable "engine_version" {
  type = string
}

resource "terraform_data" "db" {
  input = {
    name           = "db-${var.env}"
    engine_version = var.engine_version
  }
}

module "app_prod" {
  source = "../../modules/app"

  env      = var.env
  replicas = 2
}
