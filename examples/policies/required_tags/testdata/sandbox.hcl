# Environments for the test on terraform-compliance's issue-249 plan, whose
# resources are tagged Environment = "SB" (and "Sandbox"): "sb" is declared
# as an alias of sandbox, so both name the environment. Hand-written lockstep
# configuration, not Terraform output.
environment "dev" {}
environment "sandbox" {
  aliases = ["sb"]
}
