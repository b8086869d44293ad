engine_version = "14.9"
