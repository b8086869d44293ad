env            = "staging"
engine_version = "15.4"
db_password    = "s3cr3t-stg-a-7f3k"
enable_feature = true
