env            = "production"
engine_version = "14.9"
db_password    = "s3cr3t-prd-h-1x6b"
enable_feature = false
