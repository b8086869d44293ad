variable "log_level" {
  type = string
}

resource "terraform_data" "agent" {
  input = {
    log_level = var.log_level
  }
}
