env            = "production"
engine_version = "14.9"
db_password    = "s3cr3t-shared-g-5t9x"
