env            = "production"
engine_version = "14.9"
db_password    = "s3cr3t-prd-d-7c2y"
size           = "large"
web_count      = 2
enable_shield  = true
