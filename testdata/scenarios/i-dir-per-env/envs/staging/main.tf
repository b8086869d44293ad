# Staging's root module: one directory per environment, no workspaces.
# terraform runs in this directory; the state is local.

resource "terraform_data" "db" {
  input = {
    name           = "db-${var.env}"
    engine_version = var.engine_version
    password       = var.db_password
    port           = 5432
  }
}

module "service" {
  source = "../../modules/service"

  env       = var.env
  image_tag = var.image_tag
  replicas  = 2
}

module "net" {
  source = "git::file:///tmp/lockstep-remote-modules/net.git?ref=v1.0.0"

  env       = var.env
  cidr      = "10.0.0.0/16"
  flow_logs = true
}
