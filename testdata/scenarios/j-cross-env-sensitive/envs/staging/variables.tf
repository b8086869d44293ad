# Staging marks every variable sensitive.

variable "db_password" {
  description = "The database password; a different one per environment."
  type        = string
  sensitive   = true
}

variable "api_token" {
  description = "An API token; the same in both environments (a shared secret)."
  type        = string
  sensitive   = true
}

variable "api_keys" {
  description = "API keys (the map's keys) to their scopes; the same in both environments."
  type        = map(string)
  sensitive   = true
}
