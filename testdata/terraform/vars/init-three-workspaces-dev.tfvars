env            = "dev"
engine_version = "16.1"
db_password    = "s3cr3t-dev-i3w-4kq9"
size           = "small"
web_count      = 2
enable_feature = true
