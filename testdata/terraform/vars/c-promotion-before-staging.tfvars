env            = "staging"
engine_version = "14.9"
db_password    = "s3cr3t-stg-cb-5n1d"
