# The change being promoted: engine 14.9 -> 15.4.
env            = "staging"
engine_version = "15.4"
db_password    = "s3cr3t-stg-cb-5n1d"
