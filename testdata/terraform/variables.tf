variable "env" {
  description = "Environment name used in resource names (matches the workspace)."
  type        = string
}

variable "engine_version" {
  description = "Database engine version."
  type        = string
}

variable "db_password" {
  description = "Database password. Sensitive: must never appear in lockstep output."
  type        = string
  sensitive   = true
}

variable "size" {
  description = "Instance size for the app module's web servers."
  type        = string
  default     = "small"
}

variable "web_count" {
  description = "Number of web servers in the app module."
  type        = number
  default     = 2
}

variable "worker_count" {
  description = "Number of root-level workers (count)."
  type        = number
  default     = 2
}

variable "services" {
  description = "Services (name -> port), one terraform_data.svc per entry (for_each)."
  type        = map(number)
  default = {
    api = 8080
    web = 80
  }
}

variable "enable_feature" {
  description = "Create terraform_data.feature_flag."
  type        = bool
  default     = false
}

variable "enable_shield" {
  description = "Create terraform_data.shield (production-only purchase)."
  type        = bool
  default     = false
}

variable "enable_app" {
  description = "Create terraform_data.app."
  type        = bool
  default     = false
}

variable "network_id" {
  description = "Network id for terraform_data.app; empty means this environment's own terraform_data.network."
  type        = string
  default     = ""
}
