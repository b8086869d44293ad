# Scenario m-reference-sets: one configuration, workspaces staging and
# production. Each instance lists security groups by id, as a set (Terraform
# writes a set of strings sorted by value, so the order follows the ids).
variable "instance_groups" {
  type = map(list(string))
}

resource "terraform_data" "sg" {
  for_each = toset(["web", "monitoring", "db"])

  input = {
    name = "sg-${each.key}-${terraform.workspace}"
  }
}

resource "terraform_data" "instance" {
  for_each = var.instance_groups

  input = {
    vpc_security_group_ids = toset([for g in each.value : terraform_data.sg[g].id])
    ingress = [{
      from_port       = 443
      security_groups = toset([for g in each.value : terraform_data.sg[g].id])
    }]
  }
}

# Whether web's id sorts before monitoring's: generate.sh replaces sg["web"]
# in production until the two workspaces disagree, so that the same set is
# written in a different order in each.
output "web_sorts_first" {
  value = sort([terraform_data.sg["web"].id, terraform_data.sg["monitoring"].id])[0] == terraform_data.sg["web"].id
}
