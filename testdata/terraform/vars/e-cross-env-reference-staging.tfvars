env            = "staging"
engine_version = "14.9"
db_password    = "s3cr3t-stg-e-3p8n"
enable_app     = true
