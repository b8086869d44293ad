env            = "staging"
engine_version = "15.4"
db_password    = "s3cr3t-stg-h-4d7j"
enable_feature = true
