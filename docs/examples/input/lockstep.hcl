# Engine upgrades roll out to staging first, so the engine version may differ
# between environments; the engines policy watches the rollout instead.
expect_difference "engine-rollout" {
  resources  = ["terraform_data.db"]
  attributes = ["*.engine_version"]
  reason     = "engine upgrades roll out to staging first"
}
