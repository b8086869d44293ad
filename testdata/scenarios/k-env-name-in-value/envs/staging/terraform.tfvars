queue_arn = "arn:aws:sqs:eu-west-1:111111111111:orders-staging"
env_vars = {
  DB_HOST     = "db-stg-primary.internal"
  DLQ_NAME    = "stg-orders-dlq"
  REPORTS_DB  = "reports-prod-replica.internal"
  LOG_BUCKET  = "central-logs-prod-archive"
  CATALOG_URL = "https://products.example.com/v2"
}
allowed_origins = ["https://shop.stg.example.com"]
assets_bucket   = "assets-stg"
upstream        = "payments-stg.internal:8443"
api_token       = "svc-staging-Q8w3ErT6yU1i"
