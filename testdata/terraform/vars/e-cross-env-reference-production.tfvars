# Someone copied staging's network_id into production's settings. The id is
# random per run, so generate.sh reads staging's `network_id` output and passes
# it with -var network_id=... to production's apply and plan.
env            = "production"
engine_version = "14.9"
db_password    = "s3cr3t-prd-e-6w1c"
enable_app     = true
