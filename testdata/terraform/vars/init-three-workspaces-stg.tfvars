env            = "stg"
engine_version = "15.4"
db_password    = "s3cr3t-stg-i3w-8vm2"
size           = "small"
web_count      = 2
