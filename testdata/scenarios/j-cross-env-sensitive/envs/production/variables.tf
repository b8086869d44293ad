# Production lost `sensitive = true` on every variable: Terraform marks
# nothing here, and prints every value in clear in the plan and the state.

variable "db_password" {
  description = "The database password; a different one per environment."
  type        = string
}

variable "api_token" {
  description = "An API token; the same in both environments (a shared secret)."
  type        = string
}

variable "api_keys" {
  description = "API keys (the map's keys) to their scopes; the same in both environments."
  type        = map(string)
}
