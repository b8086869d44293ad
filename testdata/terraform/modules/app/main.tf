variable "env" {
  type = string
}

variable "size" {
  type = string
}

variable "web_count" {
  type = number
}

resource "terraform_data" "web" {
  count = var.web_count

  input = {
    name = "web-${var.env}-${count.index}"
    size = var.size
  }
}
