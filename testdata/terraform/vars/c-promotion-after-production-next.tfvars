# The change being promoted: engine 14.9 -> 15.4.
env            = "production"
engine_version = "15.4"
db_password    = "s3cr3t-prd-ca-3k9z"
