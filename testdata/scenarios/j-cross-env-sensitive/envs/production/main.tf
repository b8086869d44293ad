# One root module per environment, no workspaces; the state is local.
# Staging and production differ only in variables.tf, where production lost
# `sensitive = true`, and in their terraform.tfvars.

terraform {
  # terraform_data is built in; `terraform init` needs no download.
  required_version = ">= 1.5.0"
}

# terraform_data copies input into output without the sensitive mark.
resource "terraform_data" "db" {
  input = {
    name     = "db"
    password = var.db_password
  }
}

resource "terraform_data" "api" {
  input = {
    name  = "api"
    token = var.api_token
  }
}

# A map whose keys are secrets: they reappear in output's attribute paths.
resource "terraform_data" "acl" {
  input = var.api_keys
}
