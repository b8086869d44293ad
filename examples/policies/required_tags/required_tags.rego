# METADATA
# title: Resources carry the required tags
# description: |
#   In the environments listed in required_tags.yaml (production by default),
#   every resource that takes tags carries each tag the file requires, once
#   the plan is applied. Tags from the AWS provider's default_tags count
#   (tags_all). The list, the environments and the tag that must name the
#   environment live in the data document, so teams change them without
#   touching the Rego.
# custom:
#   id: required-tags
#   severity: error
#   remediation: |
#     Add the missing tags to the resource, or to the provider's default_tags
#     block so that every resource gets them.
package lockstep.required_tags

settings := data.required_tags

# Fail closed: without its settings the policy would silently pass. (A
# helper rule, because `not is_array(settings.tags)` is undefined, not true,
# when settings.tags does not exist.)
deny_missing_tags contains "required_tags: data.required_tags.tags is not set; load required_tags.yaml with --policy pointing at the directory that contains required_tags/" if {
	not configured
}

configured if is_array(settings.tags)

# Rule-level METADATA is not needed here: this rule takes the package's
# (required-tags, error).
deny_missing_tags contains finding if {
	some env in enforced
	some address, res in input.env[env].resources
	tags := resource_tags(res)
	missing := [t | some t in settings.tags; not has_tag(tags, t)]
	count(missing) > 0

	finding := {
		"msg": sprintf("%s in %s is missing the required %s %s", [address, env, plural(missing), concat(", ", missing)]),
		"address": address,
		"environments": [env],
		"details": {"missing_tags": missing},
	}
}

# METADATA
# title: The environment tag names the environment
# description: |
#   The tag named by environment_tag in required_tags.yaml holds the name of
#   the environment the resource is in, or one of its aliases.
# custom:
#   id: environment-tag-mismatch
#   severity: warning
#   remediation: |
#     Set the tag from the environment (a variable or terraform.workspace)
#     rather than a literal copied from another environment.
warn_environment_tag contains finding if {
	name := settings.environment_tag
	some env in enforced
	some address, res in input.env[env].resources
	value := resource_tags(res)[name]
	is_string(value)
	not lower(value) in env_names(env)

	finding := {
		"msg": sprintf("%s in %s has tag %s = %q, which names another environment", [address, env, name, value]),
		"address": address,
		"environments": [env],
		"details": {"attributes": [{"path": sprintf("tags.%s", [name]), "values": {env: value}}]},
	}
}

# enforced lists the environments of this check that the settings name,
# directly or by an alias from lockstep.hcl.
enforced contains env if {
	some env in input.environments
	some name in settings.environments
	lower(name) in env_names(env)
}

env_names(env) := {lower(n) | some n in array.concat([env], input.env[env].aliases)}

# resource_tags is a resource's tags after the plan, or undefined when it
# takes no tags, is deleted, or has tags known only after apply. tags_all
# (AWS: tags plus the provider's default_tags) wins when it is known; an
# Auto Scaling group's list of {key, value} tag blocks becomes an object.
resource_tags(res) := res.after.tags_all if {
	is_object(res.after.tags_all)
} else := res.after.tags if {
	is_object(res.after.tags)
} else := {t.key: t.value | some t in res.after.tags} if {
	is_array(res.after.tags)
} else := {} if {
	is_object(res.after)
	"tags" in object.keys(res.after) # the resource takes tags but has none
	not res.after_unknown.tags == true
}

has_tag(tags, name) if {
	is_string(tags[name])
	tags[name] != ""
}

plural(missing) := "tag" if count(missing) == 1

plural(missing) := "tags" if count(missing) > 1
