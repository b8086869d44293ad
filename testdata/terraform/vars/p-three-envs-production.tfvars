engine_version = "14.9"
instance_class = "db.t3.medium"
log_level      = "info"
