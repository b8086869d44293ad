# The module every call fetches, release v1.
variable "name" {
  type    = string
  default = "net"
}

resource "terraform_data" "this" {
  input = "${var.name}-v1"
}
