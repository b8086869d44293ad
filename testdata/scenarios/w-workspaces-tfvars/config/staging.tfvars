image           = "registry.example.com/app:1.4.0"
security_groups = ["web"]
tier            = "standard"
audit           = true
