env            = "production"
engine_version = "14.9"
db_password    = "s3cr3t-prd-ca-3k9z"
