# Three workspaces (dev, staging, production) of this one configuration, each
# planned with its own var file: terraform plan -var-file=ENV.tfvars.
module "app" {
  source   = "./modules/app"
  for_each = toset(["api", "web"])

  name            = each.key
  image           = var.image
  replicas        = var.replicas
  security_groups = var.security_groups
  tier            = var.tier
  log_level       = var.log_level
  region          = var.region
}

resource "terraform_data" "debug_tools" {
  count = var.debug_tools ? 1 : 0

  input = {
    name = "debug-${terraform.workspace}"
  }
}

resource "terraform_data" "audit" {
  count = var.audit ? 1 : 0

  input = {
    name = "audit-${terraform.workspace}"
  }
}
