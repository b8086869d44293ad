db_password = "j-staging-db-Rk83hQ2m"
api_token   = "j-shared-token-Vb71xQ9z"
api_keys = {
  "ak-j-Hs82kQ0xW4" = "scope-j-admin-Lm47wP2c"
  "ak-j-Pw55mN1cE9" = "scope-j-read-Tq36vB8n"
}
