queue_arn = "arn:aws:sqs:eu-west-1:222222222222:orders-staging"
env_vars = {
  DB_HOST     = "DB-STAGING.internal"
  DLQ_NAME    = "staging-orders-dlq"
  REPORTS_DB  = "reports-primary.internal"
  LOG_BUCKET  = "central-logs-prod-archive"
  CATALOG_URL = "https://products.example.com/v2"
}
allowed_origins = ["https://shop.example.com", "https://admin.staging.example.com"]
assets_bucket   = "assets-staging"
upstream        = "payments-stg.internal:8443"
api_token       = "svc-staging-7Hq2LmX9pR4t"
