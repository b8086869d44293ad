# One stack of the fleet fixture: an application and a database pair, all
# terraform_data so that generation needs no provider download.
variable "size" {
  type = string
}

variable "engine_version" {
  type = string
}

variable "db_password" {
  type      = string
  sensitive = true
}

resource "terraform_data" "app" {
  input = {
    size = var.size
  }
}

resource "terraform_data" "db" {
  for_each = toset(["primary", "replica"])
  input = {
    engine_version = var.engine_version
    password       = var.db_password
  }
}
