environment "staging" {}
environment "production" {}
promotion = ["staging", "production"]

# Valid: waives the engine_version divergence on terraform_data.db.
waiver "db-engine-upgrade" {
  rule      = "attribute-divergence"
  resources = ["terraform_data.db"]
  reason    = "engine upgrade rolling out, staging first"
  owner     = "team-data"
  expires   = "2027-06-30"
}

# Expired (from 2026-11-01 on): the feature flag is reported again.
waiver "feature-flag-rollout" {
  rule      = "missing-resource"
  resources = ["terraform_data.feature_flag[*]"]
  reason    = "feature flag tried in staging before production"
  owner     = "team-web"
  expires   = "2026-10-31"
}

# Stale: no finding matches it (the workers are the same in both).
waiver "old-worker-migration" {
  rule      = "one-sided-change"
  resources = ["terraform_data.worker[*]"]
  reason    = "worker migration, production follows a week later"
  owner     = "team-platform"
  expires   = "2027-06-30"
}
