# METADATA
# title: Databases run the same major engine version in every environment
# description: |
#   Once the plans are applied, a database that exists in two or more
#   environments runs the same major engine version in all of them
#   (PostgreSQL 15.x, MySQL 8.0.x, ...). Minor versions may differ while an
#   upgrade rolls through the promotion chain; a major version may not,
#   because staging then no longer rehearses what production runs.
#   Pair it with expect_difference on engine_version in lockstep.hcl so the
#   built-in attribute-divergence rule tolerates minor versions and this rule
#   holds the line on majors.
# custom:
#   id: db-engine-major-parity
#   severity: error
#   remediation: |
#     Upgrade the environments that are behind to the same major version,
#     earliest environment first, or roll the upgrade back where it went ahead.
package lockstep.db_engine_major

import data.lockstep.lib

# Cross-environment rule: walk the matched resources, and for each
# environment that has the database after its plan, read the version from
# that environment's own copy of the resource (input.env[env].resources).
deny contains finding if {
	some r in input.resources
	r.type in version_types
	found := {s.env: {"version": v, "major": major(res, v)} |
		some s in r.environments
		s.after
		res := input.env[s.env].resources[s.address]
		v := engine_version(res)
	}
	count({x.major | some x in found}) > 1

	envs := [e | some e in input.environments; found[e]]
	finding := {
		"msg": sprintf("%s runs different major engine versions after the plans: %s", [
			r.address,
			concat(", ", [sprintf("%s %s (%s)", [e, found[e].major, found[e].version]) | some e in envs]),
		]),
		"address": r.address,
		"environments": envs,
		"details": {
			"attributes": [{"path": version_path[r.type], "values": {e: found[e].version | some e in envs}}],
			"addresses": lib.addresses(r),
		},
	}
}

# Where each database type keeps its engine version. terraform_data is the
# stand-in database of lockstep's scenario fixtures; drop it in real use.
version_path := {
	"aws_db_instance": "engine_version",
	"aws_rds_cluster": "engine_version",
	"google_sql_database_instance": "database_version",
	"azurerm_postgresql_flexible_server": "version",
	"azurerm_mysql_flexible_server": "version",
	"terraform_data": "input.engine_version",
}

version_types := object.keys(version_path)

# engine_version is the planned version, or undefined when it is unknown
# until apply, empty, or not set on this resource.
engine_version(res) := v if {
	is_object(res.after)
	v := object.get(res.after, split(version_path[res.type], "."), null)
	is_string(v)
	v != ""
}

# major is the part of a version that must match: the first two numbers for
# MySQL-family engines (5.7, 8.0, 8.4), Cloud SQL's database_version as a
# whole (POSTGRES_15, MYSQL_8_0), and the first number otherwise
# (PostgreSQL 15, SQL Server 15, Oracle 19).
major(res, v) := concat(".", array.slice(split(v, "."), 0, 2)) if {
	mysql_family(res)
} else := v if {
	res.type == "google_sql_database_instance"
} else := split(v, ".")[0]

mysql_family(res) if res.after.engine in {"mysql", "mariadb", "aurora", "aurora-mysql"}

mysql_family(res) if res.type == "azurerm_mysql_flexible_server"
