# Fixture for tfsource: positions are asserted by line number in
# tfsource_test.go; edit both together.

resource "terraform_data" "db" {
  input = {
    engine_version = "15.4"
  }

  lifecycle {
    ignore_changes = [input]
  }
}

data "terraform_remote_state" "net" {
  backend = "local"
  config = {
    path = "net.tfstate"
  }
}

module "a" {
  source = "./a"
}

module "net" {
  source   = "./net"
  for_each = toset(["eu.west", "us.east"])

  region = each.key
}

module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "5.0.0"
}

module "gone" {
  source = "./missing"
}

module "self" {
  source = "./"
}
