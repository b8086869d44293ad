# Planned with the previous Terraform release ($TERRAFORM_OLD) and module
# "app" from ./modules/app-v1 (the previous release's copy of modules/app).
env            = "production"
engine_version = "14.9"
db_password    = "s3cr3t-prd-f-8m3r"
