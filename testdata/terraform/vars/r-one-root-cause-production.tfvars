engine_version = "14.9"
enable_replica = true
