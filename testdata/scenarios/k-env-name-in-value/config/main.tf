# Scenario k-env-name-in-value: one configuration, workspaces staging and
# production, each applied with envs/ENV/terraform.tfvars. Production's
# settings were partly copied from staging's, so some of its values name
# staging (or its alias stg): as a suffix, prefix or infix token, in upper
# case, inside a URL list, a JSON-encoded policy, a tag and a sensitive
# token. Staging reads production's reporting replica. Some values mention
# the other environment by design (a shared log archive used by both) or
# only look like a name (products, prodigy).
variable "queue_arn" {
  type = string
}

variable "env_vars" {
  type = map(string)
}

variable "allowed_origins" {
  type = list(string)
}

variable "assets_bucket" {
  type = string
}

variable "upstream" {
  type = string
}

variable "api_token" {
  type      = string
  sensitive = true
}

resource "terraform_data" "orders" {
  input = {
    name            = "orders-${terraform.workspace}"
    queue_arn       = var.queue_arn
    env_vars        = var.env_vars
    allowed_origins = var.allowed_origins
    policy = jsonencode({
      Version = "2012-10-17"
      Statement = [{
        Effect   = "Allow"
        Action   = ["s3:GetObject"]
        Resource = ["arn:aws:s3:::${var.assets_bucket}/*"]
      }]
    })
    tags = {
      Name     = "orders-${terraform.workspace}"
      Upstream = var.upstream
      Team     = "prodigy-shop"
    }
  }
}

resource "terraform_data" "client" {
  input = {
    api_token = var.api_token
  }
}
