# The application module both environments call, each under a module call
# named after its environment (module.app_staging, module.app_prod).

variable "env" {
  type = string
}

variable "replicas" {
  type = number
}

resource "terraform_data" "web" {
  input = {
    name     = "web-${var.env}"
    replicas = var.replicas
  }
}
