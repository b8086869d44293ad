engine_version = "15.4"
instance_class = "db.t3.micro"
log_level      = "info"
