env            = "production"
engine_version = "14.9"
db_password    = "s3cr3t-prd-a-9q2m"
enable_feature = false
