# charlie's own config: it inherits environments and promotion from the
# fleet's lockstep.hcl and adds two waivers: one without a ticket that
# expired on 2026-06-30, and one with its ticket that expires on 2026-12-10
# (within the 14 days' warning of a report as of 2026-12-01).
waiver "bigger-production-app" {
  rule      = "attribute-divergence"
  resources = ["terraform_data.app"]
  reason    = "production trial of the large size"
  owner     = "team-payments"
  expires   = "2026-06-30"
}

waiver "engine-16-rollout" {
  rule        = "attribute-divergence"
  resources   = ["terraform_data.db[*]"]
  reason      = "engine 16 rolls out stack by stack"
  owner       = "team-data"
  ticket      = "CHG-4711"
  approved_by = "change-advisory-board"
  expires     = "2026-12-10"
}
