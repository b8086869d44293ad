# The PR: engine upgrade plus a new service, in staging only.
env            = "staging"
engine_version = "15.4"
db_password    = "s3cr3t-stg-b-4h8w"
services = {
  api    = 8080
  web    = 80
  worker = 9000
}
