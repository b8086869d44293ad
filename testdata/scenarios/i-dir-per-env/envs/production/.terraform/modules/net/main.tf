# Network module, consumed as a remote git module
# (git::file:///tmp/lockstep-remote-modules/net.git?ref=v1.0.0, built by
# testdata/generate.sh from this directory).

variable "env" {
  type = string
}

variable "cidr" {
  type = string
}

variable "flow_logs" {
  type = bool
}

resource "terraform_data" "vpc" {
  input = {
    name      = "vpc-${var.env}"
    cidr      = var.cidr
    flow_logs = var.flow_logs
  }
}

module "subnet" {
  source = "./subnet"

  env  = var.env
  cidr = cidrsubnet(var.cidr, 8, 1)
}
