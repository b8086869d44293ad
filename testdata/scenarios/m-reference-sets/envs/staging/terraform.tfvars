instance_groups = {
  web    = ["web", "monitoring"]
  api    = ["web", "monitoring", "db"]
  worker = ["web", "monitoring"]
}
