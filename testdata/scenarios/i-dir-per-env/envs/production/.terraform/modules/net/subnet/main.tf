variable "env" {
  type = string
}

variable "cidr" {
  type = string
}

resource "terraform_data" "subnet" {
  input = {
    name = "subnet-${var.env}"
    cidr = var.cidr
  }
}
