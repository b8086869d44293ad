image           = "registry.example.com/app:1.3.0"
replicas        = 3
security_groups = ["web", "bastion"]
tier            = "critical"
region          = "eu-central-1"
