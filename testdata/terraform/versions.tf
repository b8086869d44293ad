terraform {
  # terraform_data is built in (terraform.io/builtin/terraform); no provider
  # download is needed, so `terraform init` works offline.
  required_version = ">= 1.5.0"
}
