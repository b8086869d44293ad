# p-three-envs: one configuration, workspaces dev, staging and production
# (testdata/generate.sh, issue 16 items 4 and 7).

variable "engine_version" {
  type = string
}

variable "instance_class" {
  type = string
}

variable "log_level" {
  type = string
}

# Changing any input makes terraform_data's whole `output` known only after
# apply: an unknown caused by another attribute's change.
resource "terraform_data" "db" {
  input = {
    name           = "db-${terraform.workspace}"
    engine_version = var.engine_version
    instance_class = var.instance_class
  }
}

resource "terraform_data" "app" {
  input = {
    name = "app-${terraform.workspace}"
    env_vars = {
      LOG_LEVEL = var.log_level
      REGION    = "eu-west-1"
    }
  }
}
