terraform {
  # terraform_data is built in; `terraform init` only installs the modules.
  required_version = ">= 1.5.0"
}

variable "env" {
  description = "Environment name used in resource names."
  type        = string
}

variable "engine_version" {
  description = "Database engine version."
  type        = string
}

variable "db_password" {
  description = "Database password. Sensitive: must never appear in lockstep output."
  type        = string
  sensitive   = true
}

variable "image_tag" {
  description = "Image tag the service runs."
  type        = string
}
