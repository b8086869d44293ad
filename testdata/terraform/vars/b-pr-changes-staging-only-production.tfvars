env            = "production"
engine_version = "14.9"
db_password    = "s3cr3t-prd-b-2x6p"
services = {
  api = 8080
  web = 80
}
