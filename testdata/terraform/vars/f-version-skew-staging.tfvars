# Planned with the current Terraform (PATH) and the current modules/app.
env            = "staging"
engine_version = "14.9"
db_password    = "s3cr3t-stg-f-2k5v"
