variable "image" {
  type = string
}

variable "replicas" {
  type    = number
  default = 1
}

variable "security_groups" {
  type = list(string)
}

variable "tier" {
  type = string
}

variable "log_level" {
  type    = string
  default = "warn"
}

variable "region" {
  type    = string
  default = "eu-west-1"
}

variable "debug_tools" {
  type    = bool
  default = false
}

variable "audit" {
  type    = bool
  default = false
}
