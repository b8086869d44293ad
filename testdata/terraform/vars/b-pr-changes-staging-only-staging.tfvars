env            = "staging"
engine_version = "14.9"
db_password    = "s3cr3t-stg-b-4h8w"
services = {
  api = 8080
  web = 80
}
