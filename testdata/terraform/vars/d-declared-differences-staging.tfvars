env            = "staging"
engine_version = "14.9"
db_password    = "s3cr3t-stg-d-1m4q"
size           = "small"
web_count      = 2
enable_shield  = false
