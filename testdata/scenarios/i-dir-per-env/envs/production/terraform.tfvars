env            = "production"
engine_version = "14.9"
db_password    = "s3cr3t-prd-i-5j7e"
image_tag      = "v1.4.0"
