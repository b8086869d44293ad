# charlie's own config: it inherits environments and promotion from the
# fleet's lockstep.hcl and adds two waivers: one active, one that expired
# on 2026-06-30.
waiver "bigger-production-app" {
  rule      = "attribute-divergence"
  resources = ["terraform_data.app"]
  reason    = "production trial of the large size"
  owner     = "team-payments"
  expires   = "2026-06-30"
}

waiver "engine-16-rollout" {
  rule      = "attribute-divergence"
  resources = ["terraform_data.db[*]"]
  reason    = "engine 16 rolls out stack by stack"
  owner     = "team-data"
  expires   = "2027-01-31"
}
