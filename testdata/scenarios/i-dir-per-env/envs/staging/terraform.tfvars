env            = "staging"
engine_version = "15.4"
db_password    = "s3cr3t-stg-i-9b2w"
image_tag      = "v1.5.0"
