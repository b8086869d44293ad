# Production's credentials reused in staging: the same db_password as
# g-shared-secret-production.tfvars.
env            = "staging"
engine_version = "14.9"
db_password    = "s3cr3t-shared-g-5t9x"
