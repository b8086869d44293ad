instance_groups = {
  web    = ["web", "monitoring"]
  api    = ["web", "db"]
  worker = ["web", "db"]
}
