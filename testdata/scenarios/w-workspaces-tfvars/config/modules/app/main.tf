variable "name" {
  type = string
}

variable "image" {
  type = string
}

variable "replicas" {
  type = number
}

variable "security_groups" {
  type = list(string)
}

variable "tier" {
  type = string
}

variable "log_level" {
  type = string
}

variable "region" {
  type = string
}

resource "terraform_data" "deployment" {
  input = {
    name     = "${var.name}-${terraform.workspace}"
    image    = var.image
    replicas = var.replicas
    region   = var.region
    labels = {
      "app.kubernetes.io/name" = var.name
      "app.kubernetes.io/tier" = var.tier
    }
    network = {
      ingress = [{ port = 443, security_groups = var.security_groups }]
      egress  = [{ port = 0, security_groups = var.security_groups }]
    }
  }
}

module "sidecar" {
  source = "./modules/sidecar"

  log_level = var.log_level
}
