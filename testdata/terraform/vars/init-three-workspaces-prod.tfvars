env            = "prod"
engine_version = "15.4"
db_password    = "s3cr3t-prd-i3w-1zx7"
size           = "large"
web_count      = 2
enable_shield  = true
