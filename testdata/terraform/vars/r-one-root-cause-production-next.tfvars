engine_version = "15.4"
enable_replica = true
