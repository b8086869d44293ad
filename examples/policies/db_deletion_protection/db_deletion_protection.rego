# METADATA
# title: Production databases have deletion protection
# description: |
#   In the last environment of the promotion chain (production), every
#   database instance and cluster has deletion protection turned on once the
#   plan is applied, so that no single apply (a rename that forces
#   replacement, a stray terraform destroy) can delete it. The other
#   environments are not checked: staging databases are meant to be
#   disposable.
# custom:
#   id: production-db-deletion-protection
#   severity: error
#   remediation: |
#     Set deletion_protection = true on the resource (for Cloud SQL, leave it
#     at its default, true) and re-plan. To delete a database on purpose, turn
#     the protection off in a change of its own first.
package lockstep.db_deletion_protection

import data.lockstep.lib

# A single-environment rule: production is the last environment of the
# chain, whatever it is called (input.environments is in promotion order).
production := input.environments[count(input.environments) - 1]

# Database types whose deletion_protection attribute guards against deletes.
protected_types := {
	"aws_db_instance",
	"aws_rds_cluster",
	"aws_docdb_cluster",
	"aws_neptune_cluster",
	"google_sql_database_instance",
}

deny contains finding if {
	some type in protected_types

	# by_type lists an environment's addresses of one type: no need to scan
	# every resource.
	some address in input.env[production].by_type[type]
	res := input.env[production].resources[address]
	is_object(res.after) # null when production's plan deletes it
	protection := object.get(res.after, "deletion_protection", null)
	protection != true
	not res.after_unknown.deletion_protection # known only after apply

	finding := {
		"msg": sprintf("%s: deletion_protection is %s", [subject(res), shown(protection)]),
		"address": address,
		"environments": [production],
		"details": {"attributes": [{"path": "deletion_protection", "values": {production: protection}}]},
	}
}

# subject names the resource and what production's plan does to it.
subject(res) := sprintf("%s's plan %s %s", [production, lib.verbs[res.action], res.address]) if {
	res.action in {"create", "update", "replace"}
} else := sprintf("%s in %s", [res.address, production])

shown(v) := "not set" if {
	v == null
} else := json.marshal(v)
