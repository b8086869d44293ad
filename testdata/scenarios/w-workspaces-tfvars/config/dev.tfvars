image           = "registry.example.com/app:2.0.0-rc1"
security_groups = ["web", "debug"]
tier            = "experimental"
log_level       = "debug"
debug_tools     = true
