# The module every call fetches, release v2.
variable "name" {
  type    = string
  default = "net"
}

resource "terraform_data" "this" {
  input = "${var.name}-v2"
}
