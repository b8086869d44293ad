# The service, shared by every environment through a local module call
# (source = "../../modules/service").

variable "env" {
  type = string
}

variable "image_tag" {
  type = string
}

variable "replicas" {
  type = number
}

resource "terraform_data" "deployment" {
  input = {
    name     = "svc-${var.env}"
    image    = "registry.example.com/svc:${var.image_tag}"
    replicas = var.replicas
  }
}
