#!/usr/bin/env bash
# Regenerates the lockstep test fixtures from the Terraform configuration in
# testdata/terraform. Offline: only the built-in terraform_data resource is
# used, and the provider lock files come from a local filesystem mirror.
#
# Usage: [TERRAFORM_OLD=PATH] [ONLY="SCENARIO..."] testdata/generate.sh [OUTPUT_DIR]
#   OUTPUT_DIR defaults to testdata/scenarios next to this script.
#   ONLY, a space-separated list of scenario names, regenerates those alone
#   (and secrets.txt); the other scenarios' files are left as they are.
#   TERRAFORM_OLD is needed only when f-version-skew is generated.
#   KEEP_WORK=DIR keeps the Terraform working directories in DIR instead of
#   a temporary directory removed at the end.
#   Needs terraform >= 1.5 on PATH (the current release), `zip`, and a second,
#   older Terraform for f-version-skew's production: TERRAFORM_OLD, by default
#   $(go env GOPATH)/terraform-v1.5.5/terraform. Build it with
#     GOBIN=$(go env GOPATH)/terraform-v1.5.5 go install github.com/hashicorp/terraform@v1.5.5
#   It must report a different version than the terraform on PATH.
#
# For each scenario and environment ENV (staging, production) it writes
#   OUTPUT_DIR/<scenario>/ENV.plan.json   terraform show -json ENV.tfplan
#   OUTPUT_DIR/<scenario>/ENV.state.json  terraform show -json (current state)
#   OUTPUT_DIR/<scenario>/ENV.tfstate     terraform state pull (raw state v4)
# plus
#   OUTPUT_DIR/secrets.txt                every db_password used, one per line
#   OUTPUT_DIR/{d-declared-differences,f-version-skew,h-waivers}/lockstep.hcl
#   OUTPUT_DIR/f-version-skew/ENV.terraform.lock.hcl
#                                         `terraform providers lock` output:
#                                         hashicorp/null 3.2.4 (staging) and
#                                         3.2.3 (production)
# Scenario f-version-skew's production is applied and planned with
# TERRAFORM_OLD, in its own working directory, with module "app" from
# ./modules/app-v1 (a copy of modules/app made here); every other file comes
# from the terraform on PATH. testdata/samples is not generated here.
#
# Scenario i-dir-per-env is not made from testdata/terraform: each environment
# is its own root module, committed in testdata/scenarios/i-dir-per-env/envs/ENV
# (with its terraform.tfvars), calling the local module ../../modules/service
# and the remote git module
#   git::file:///tmp/lockstep-remote-modules/net.git?ref=v1.0.0
# which this script builds from testdata/scenarios/i-dir-per-env/remote/net
# (a fixed path, because a module source is a literal: always /tmp, whatever
# TMPDIR says; the repository is rebuilt only when its v1.0.0 commit would
# differ, and that commit is reproducible). Besides ENV.{plan.json,state.json,
# tfstate} it writes OUTPUT_DIR/i-dir-per-env/envs/ENV/.terraform/modules/
# (what `terraform init` installed: modules.json and the remote module,
# without its .git), and, when OUTPUT_DIR is not testdata/scenarios, a copy of
# the scenario's sources next to them. Needs `git`.
#
# Scenario j-cross-env-sensitive is also one root module per environment,
# committed in testdata/scenarios/j-cross-env-sensitive/envs/ENV (main.tf,
# variables.tf, terraform.tfvars): the same configuration, except that
# production's variables lost `sensitive = true`. Besides ENV.{plan.json,
# state.json,tfstate} it copies the sources when OUTPUT_DIR is elsewhere.
#
# Terraform's own output goes to a log file and is shown only on failure.
# Regenerated files differ from run to run (terraform_data ids, lineage,
# timestamps) even when nothing meaningful changed.
set -euo pipefail

export TF_IN_AUTOMATION=1
export TF_INPUT=0
export CHECKPOINT_DISABLE=1
# A CLI config path pointing at a missing file only produces warnings.
if [[ -n "${TF_CLI_CONFIG_FILE:-}" && ! -e "${TF_CLI_CONFIG_FILE}" ]]; then
  unset TF_CLI_CONFIG_FILE
fi

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
TF_SRC="${SCRIPT_DIR}/terraform"
VARS="${TF_SRC}/vars"
OUT="${1:-${SCRIPT_DIR}/scenarios}"
mkdir -p "${OUT}"
OUT="$(cd "${OUT}" && pwd)"

ALL_SCENARIOS=(a-staging-only-change b-pr-changes-staging-only c-promotion-before c-promotion-after
  d-declared-differences e-cross-env-reference f-version-skew g-shared-secret h-waivers i-dir-per-env
  j-cross-env-sensitive)
ALL_SCENARIOS+=(init-three-workspaces) # issue 17
# want SCENARIO: whether this run generates SCENARIO (see ONLY).
want() { [[ -z "${ONLY:-}" || " ${ONLY} " == *" $1 "* ]]; }
for s in ${ONLY:-}; do
  [[ " ${ALL_SCENARIOS[*]} " == *" ${s} "* ]] || { echo "generate.sh: ONLY names an unknown scenario '${s}' (known: ${ALL_SCENARIOS[*]})" >&2; exit 1; }
done

command -v terraform >/dev/null || { echo "generate.sh: terraform not found on PATH" >&2; exit 1; }
command -v zip >/dev/null || { echo "generate.sh: zip not found on PATH (needed for the provider mirror of f-version-skew)" >&2; exit 1; }
command -v git >/dev/null || { echo "generate.sh: git not found on PATH (needed for i-dir-per-env's remote module)" >&2; exit 1; }

# tf_version BINARY: the version BINARY reports, e.g. 1.11.4.
tf_version() {
  "$1" version -json 2>/dev/null | sed -n 's/^[[:space:]]*"terraform_version":[[:space:]]*"\([^"]*\)".*$/\1/p'
}

OLD_BUILD="GOBIN=\$(go env GOPATH)/terraform-v1.5.5 go install github.com/hashicorp/terraform@v1.5.5"
TF_NEW_VERSION="$(tf_version terraform)"
[[ -n "${TF_NEW_VERSION}" ]] || { echo "generate.sh: cannot read the version of terraform on PATH ($(command -v terraform))" >&2; exit 1; }
if ! want f-version-skew; then
  echo "terraform ${TF_NEW_VERSION} ($(command -v terraform)); generating: ${ONLY}"
else
if [[ -z "${TERRAFORM_OLD:-}" ]]; then
  gopath="$(go env GOPATH 2>/dev/null)" || {
    echo "generate.sh: TERRAFORM_OLD is not set and 'go env GOPATH' failed; set TERRAFORM_OLD to an older terraform binary, or build one with: ${OLD_BUILD}" >&2
    exit 1
  }
  TERRAFORM_OLD="${gopath}/terraform-v1.5.5/terraform"
fi
if [[ ! -x "${TERRAFORM_OLD}" ]]; then
  echo "generate.sh: the older terraform for f-version-skew (TERRAFORM_OLD=${TERRAFORM_OLD}) is missing; build it with: ${OLD_BUILD}" >&2
  exit 1
fi
TF_OLD_VERSION="$(tf_version "${TERRAFORM_OLD}")"
[[ -n "${TF_OLD_VERSION}" ]] || { echo "generate.sh: cannot read the version of TERRAFORM_OLD=${TERRAFORM_OLD}" >&2; exit 1; }
if [[ "${TF_NEW_VERSION}" == "${TF_OLD_VERSION}" ]]; then
  echo "generate.sh: TERRAFORM_OLD=${TERRAFORM_OLD} is terraform ${TF_OLD_VERSION}, the same version as terraform on PATH; f-version-skew needs an older one, build it with: ${OLD_BUILD}" >&2
  exit 1
fi
echo "terraform ${TF_NEW_VERSION} ($(command -v terraform)); TERRAFORM_OLD: terraform ${TF_OLD_VERSION} (${TERRAFORM_OLD})"
fi

if [[ -n "${KEEP_WORK:-}" ]]; then
  # The working directories stay for the caller (a test that plans them
  # again through lockstep): KEEP_WORK/<scenario> holds each scenario's
  # configuration, .terraform and workspaces' states as they were planned.
  mkdir -p "${KEEP_WORK}"
  WORK="$(cd "${KEEP_WORK}" && pwd)"
else
  WORK="$(mktemp -d "${TMPDIR:-/tmp}/lockstep-fixtures.XXXXXX")"
  trap 'rm -rf "${WORK}"' EXIT
fi
LOG="${WORK}/terraform.log"

# TF is the terraform binary tf and tf_json run: terraform from PATH, except
# where a scenario says otherwise.
TF=terraform

# tf ARGS... : run terraform in the current scenario's work dir, logging its
# output; on failure show the log and abort.
tf() {
  if ! "${TF}" "$@" -no-color >>"${LOG}" 2>&1; then
    echo "generate.sh: '${TF} $*' failed in ${PWD}; log follows:" >&2
    cat "${LOG}" >&2
    exit 1
  fi
}

# tf_json OUTFILE ARGS... : like tf, but stdout is the fixture file.
tf_json() {
  local outfile="$1"
  shift
  if ! "${TF}" "$@" >"${outfile}" 2>>"${LOG}"; then
    echo "generate.sh: '${TF} $*' failed in ${PWD}; log follows:" >&2
    cat "${LOG}" >&2
    exit 1
  fi
}

SCENARIO=""
SDIR=""
SCENARIOS=()

# new_scenario SCENARIO: announce it and start its output directory afresh.
new_scenario() {
  SCENARIO="$1"
  SCENARIOS+=("${SCENARIO}")
  echo "== ${SCENARIO}"
  SDIR="${OUT}/${SCENARIO}"
  rm -rf "${SDIR}"
  mkdir -p "${SDIR}"
}

# workdir DIR: fresh copy of the configuration in DIR; cd there.
workdir() {
  local wd="$1"
  mkdir -p "${wd}"
  cp -R "${TF_SRC}/." "${wd}/"
  rm -rf "${wd}/.terraform" "${wd}/.terraform.lock.hcl" "${wd}/terraform.tfstate" "${wd}/terraform.tfstate.d"
  cd "${wd}"
}

# init_workspaces WORKSPACE... : terraform init, then create the (empty)
# workspaces.
init_workspaces() {
  tf init -input=false
  local ws
  for ws in "$@"; do
    tf workspace new "${ws}"
  done
}

# start SCENARIO: new scenario, one work dir with workspaces staging and
# production.
start() {
  new_scenario "$1"
  workdir "${WORK}/${SCENARIO}"
  init_workspaces staging production
}

varfile() { # varfile ENV [SUFFIX]
  local f="${VARS}/${SCENARIO}-$1${2:+-$2}.tfvars"
  [[ -f "${f}" ]] || { echo "generate.sh: missing ${f}" >&2; exit 1; }
  printf '%s' "${f}"
}

# apply and plan_and_snapshot take ENV [SUFFIX] [-- TERRAFORM_ARGS...]; the
# extra arguments (e.g. -var) go to terraform apply / plan after -var-file.
# split_args sets ENV_, SUFFIX_ and EXTRA_ from them.
split_args() {
  ENV_="$1"
  shift
  SUFFIX_=""
  if [[ $# -gt 0 && "$1" != "--" ]]; then
    SUFFIX_="$1"
    shift
  fi
  if [[ $# -gt 0 ]]; then
    [[ "$1" == "--" ]] || { echo "generate.sh: expected -- before terraform arguments, got '$1'" >&2; exit 1; }
    shift
  fi
  EXTRA_=("$@")
}

apply() { # apply ENV [SUFFIX] [-- TERRAFORM_ARGS...]
  split_args "$@"
  echo "   apply ${ENV_}${SUFFIX_:+ (${SUFFIX_})}${EXTRA_[*]:+ ${EXTRA_[*]}}"
  tf workspace select "${ENV_}"
  tf apply -input=false -auto-approve -var-file="$(varfile "${ENV_}" "${SUFFIX_}")" ${EXTRA_[@]+"${EXTRA_[@]}"}
}

# plan_and_snapshot ENV [SUFFIX] [-- TERRAFORM_ARGS...]: plan the environment's
# next change and snapshot the plan, the state JSON and the raw state of that
# workspace.
plan_and_snapshot() {
  split_args "$@"
  local env="${ENV_}"
  echo "   plan  ${env}${SUFFIX_:+ (${SUFFIX_})}${EXTRA_[*]:+ ${EXTRA_[*]}}"
  tf workspace select "${env}"
  tf plan -input=false -out="${env}.tfplan" -var-file="$(varfile "${env}" "${SUFFIX_}")" ${EXTRA_[@]+"${EXTRA_[@]}"}
  tf_json "${SDIR}/${env}.plan.json" show -json "${env}.tfplan"
  tf_json "${SDIR}/${env}.state.json" show -json
  tf_json "${SDIR}/${env}.tfstate" state pull
}

# output_raw WORKSPACE NAME: the value of root output NAME in WORKSPACE.
output_raw() {
  local f="${WORK}/output-$1-$2.txt"
  tf workspace select "$1"
  tf_json "${f}" output -raw "$2"
  [[ -s "${f}" ]] || { echo "generate.sh: output $2 of workspace $1 is empty" >&2; exit 1; }
  cat "${f}"
}

# provider_lock VERSION OUTFILE: a real dependency lock file locking
# hashicorp/null VERSION for linux_amd64, written by `${TF} providers lock`
# from a local filesystem mirror (packed layout) in a config of its own. There
# is no registry access, so the mirror holds a placeholder package (a zip with
# an executable named like the real provider that only prints an error);
# `providers lock` hashes packages and never runs them, so the h1: hash in the
# lock file is the placeholder's, not the real provider's.
provider_lock() {
  local version="$1" outfile="$2"
  local dir="${WORK}/${SCENARIO}/lock-${version}"
  local pkg="${dir}/pkg" mirror="${dir}/mirror"
  local exe="terraform-provider-null_v${version}_x5"
  local zipdir="${mirror}/registry.terraform.io/hashicorp/null"
  mkdir -p "${dir}/config" "${pkg}" "${zipdir}"
  printf '#!/bin/sh\necho "placeholder for hashicorp/null %s made by lockstep testdata/generate.sh; not runnable" >&2\nexit 1\n' \
    "${version}" >"${pkg}/${exe}"
  chmod 755 "${pkg}/${exe}"
  (cd "${pkg}" && zip -q -X "${zipdir}/terraform-provider-null_${version}_linux_amd64.zip" "${exe}") || {
    echo "generate.sh: zip failed for the hashicorp/null ${version} placeholder package" >&2
    exit 1
  }
  cat >"${dir}/config/versions.tf" <<EOF
terraform {
  required_providers {
    null = { source = "hashicorp/null", version = "${version}" }
  }
}
EOF
  echo "   lock  hashicorp/null ${version} (terraform $(tf_version "${TF}")) -> $(basename "${outfile}")"
  cd "${dir}/config"
  tf providers lock -fs-mirror="${mirror}" -platform=linux_amd64
  grep -q "version *= *\"${version}\"" .terraform.lock.hcl || {
    echo "generate.sh: ${PWD}/.terraform.lock.hcl does not lock hashicorp/null ${version}:" >&2
    cat .terraform.lock.hcl >&2
    exit 1
  }
  cp .terraform.lock.hcl "${outfile}"
}

# --- a: a change applied to staging only --------------------------------------
if want a-staging-only-change; then
start a-staging-only-change
apply staging
apply production
plan_and_snapshot staging
plan_and_snapshot production
fi

# --- b: a PR that changes staging only ------------------------------------------
if want b-pr-changes-staging-only; then
start b-pr-changes-staging-only
apply staging
apply production
plan_and_snapshot staging next
plan_and_snapshot production
fi

# --- c: promotion, change in flight in both environments -----------------------
if want c-promotion-before; then
start c-promotion-before
apply staging
apply production
plan_and_snapshot staging next
plan_and_snapshot production next
fi

# --- c: promotion, staging has applied, production is planned -------------------
if want c-promotion-after; then
start c-promotion-after
apply staging
apply production
apply staging next
plan_and_snapshot staging next
plan_and_snapshot production next
fi

# --- d: declared differences ----------------------------------------------------
if want d-declared-differences; then
start d-declared-differences
apply staging
apply production
plan_and_snapshot staging
plan_and_snapshot production
cat >"${SDIR}/lockstep.hcl" <<'EOF'
environment "staging" {}
environment "production" {
  aliases = ["prod"]
}
promotion = ["staging", "production"]
expect_difference "sizing" {
  resources  = ["module.app.terraform_data.web[*]"]
  attributes = ["input.size", "output.size"]
  reason     = "production runs larger instances"
}
only_in "production" {
  resources = ["terraform_data.shield[*]"]
  reason    = "DDoS protection is a production-only purchase"
}
EOF
fi

# --- e: production points at an id that exists only in staging ----------------
# Staging's app uses its own network; production's settings were copied from
# staging, so production's app gets staging's network id (passed with -var,
# since ids change every run).
if want e-cross-env-reference; then
start e-cross-env-reference
apply staging
staging_network_id="$(output_raw staging network_id)"
apply production -- -var "network_id=${staging_network_id}"
plan_and_snapshot staging
plan_and_snapshot production -- -var "network_id=${staging_network_id}"
fi

# --- f: version skew: production is on the previous release ---------------------
# Two checkouts, one per environment, each with only its own workspace.
# Staging: the current configuration, terraform from PATH. Production: module
# "app" from ./modules/app-v1 (the previous release's copy of modules/app),
# applied and planned with TERRAFORM_OLD.
if want f-version-skew; then
new_scenario f-version-skew
TF=terraform
workdir "${WORK}/${SCENARIO}/staging"
init_workspaces staging
apply staging
plan_and_snapshot staging
provider_lock 3.2.4 "${SDIR}/staging.terraform.lock.hcl"

TF="${TERRAFORM_OLD}"
workdir "${WORK}/${SCENARIO}/production"
cp -R modules/app modules/app-v1
sed 's|^\([[:space:]]*source[[:space:]]*=[[:space:]]*\)"\./modules/app"[[:space:]]*$|\1"./modules/app-v1"|' main.tf >main.tf.new
mv main.tf.new main.tf
grep -q '^[[:space:]]*source[[:space:]]*=[[:space:]]*"\./modules/app-v1"' main.tf || {
  echo "generate.sh: could not point module \"app\" at ./modules/app-v1 in ${PWD}/main.tf" >&2
  exit 1
}
init_workspaces production
apply production
plan_and_snapshot production
provider_lock 3.2.3 "${SDIR}/production.terraform.lock.hcl"
TF=terraform
cat >"${SDIR}/lockstep.hcl" <<'EOF'
environment "staging" {
  lockfile = "staging.terraform.lock.hcl"
}
environment "production" {
  lockfile = "production.terraform.lock.hcl"
}
promotion = ["staging", "production"]
EOF
fi

# --- g: the same db_password in staging and production --------------------------
if want g-shared-secret; then
start g-shared-secret
apply staging
apply production
plan_and_snapshot staging
plan_and_snapshot production
fi

# --- h: waivers: valid, expired (as of 2026-11-21) and stale ---------------------
# Same divergence as a (engine 15.4 vs 14.9, feature flag only in staging).
if want h-waivers; then
start h-waivers
apply staging
apply production
plan_and_snapshot staging
plan_and_snapshot production
cat >"${SDIR}/lockstep.hcl" <<'EOF'
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
EOF
fi

# --- i: one root module directory per environment --------------------------------
# No workspaces: envs/staging and envs/production are separate root modules
# (committed sources, each with its own terraform.tfvars and local state).
# Both call the local module ../../modules/service and the remote git module
# "net" (REMOTE_NET below, built from remote/net; it calls ./subnet).
# Staging's terraform.tfvars is the checkout of a PR that moves the service to
# image v1.5.0: staging is applied with the previous tag (-var
# image_tag=v1.4.0, production's) and planned with the PR's. Engine 15.4 in
# staging vs 14.9 in production and flow_logs true vs false in module "net"
# are already applied; plans are otherwise no-ops.
I_SRC="${SCRIPT_DIR}/scenarios/i-dir-per-env"
REMOTE_MODULES=/tmp/lockstep-remote-modules
REMOTE_NET="git::file://${REMOTE_MODULES}/net.git?ref=v1.0.0"

# publish_remote_net: build the git repository of remote/net, tag it v1.0.0
# and publish it as ${REMOTE_MODULES}/net.git unless that already holds the
# same commit. Author, committer, dates and config are fixed, so the commit
# id depends only on the sources.
publish_remote_net() {
  local repo="${WORK}/${SCENARIO}/net-repo"
  local -a git=(env GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_SYSTEM=/dev/null GIT_CONFIG_NOSYSTEM=1
    GIT_AUTHOR_NAME=lockstep GIT_AUTHOR_EMAIL=lockstep@example.invalid GIT_AUTHOR_DATE="2026-01-01T00:00:00Z"
    GIT_COMMITTER_NAME=lockstep GIT_COMMITTER_EMAIL=lockstep@example.invalid GIT_COMMITTER_DATE="2026-01-01T00:00:00Z"
    git -c core.hooksPath=/dev/null -c commit.gpgsign=false -c tag.gpgsign=false -c init.defaultBranch=main)
  mkdir -p "${repo}"
  cp -R "${I_SRC}/remote/net/." "${repo}/"
  {
    "${git[@]}" -C "${repo}" init -q &&
      "${git[@]}" -C "${repo}" add -A &&
      "${git[@]}" -C "${repo}" commit -q -m "net v1.0.0" &&
      "${git[@]}" -C "${repo}" tag v1.0.0
  } >>"${LOG}" 2>&1 || {
    echo "generate.sh: building the git repository of ${I_SRC}/remote/net failed; log follows:" >&2
    cat "${LOG}" >&2
    exit 1
  }
  local want have
  want="$("${git[@]}" -C "${repo}" rev-parse v1.0.0)"
  have="$("${git[@]}" --git-dir="${REMOTE_MODULES}/net.git" rev-parse -q --verify 'v1.0.0^{commit}' 2>/dev/null || true)"
  if [[ "${have}" == "${want}" ]]; then
    echo "   git   ${REMOTE_MODULES}/net.git v1.0.0 = ${want} (kept)"
    return
  fi
  mkdir -p "${REMOTE_MODULES}"
  local tmp="${REMOTE_MODULES}/net.git.new.$$"
  rm -rf "${tmp}"
  "${git[@]}" clone -q --bare "${repo}" "${tmp}" >>"${LOG}" 2>&1 || {
    echo "generate.sh: git clone --bare into ${tmp} failed; log follows:" >&2
    cat "${LOG}" >&2
    exit 1
  }
  rm -rf "${REMOTE_MODULES}/net.git"
  mv "${tmp}" "${REMOTE_MODULES}/net.git"
  echo "   git   ${REMOTE_MODULES}/net.git v1.0.0 = ${want}"
}

# dir_env ENV [-- TERRAFORM_ARGS...]: in ENV's own root module (work copy):
# init, apply (with the extra arguments), plan with the committed
# terraform.tfvars only, snapshot, and copy what init installed under
# .terraform/modules into the scenario's envs/ENV.
dir_env() {
  local env="$1"
  shift
  [[ $# -eq 0 || "$1" == "--" ]] || { echo "generate.sh: expected -- before terraform arguments, got '$1'" >&2; exit 1; }
  [[ $# -eq 0 ]] || shift
  cd "${WORK}/${SCENARIO}/src/envs/${env}"
  grep -qF "\"${REMOTE_NET}\"" main.tf || {
    echo "generate.sh: ${I_SRC}/envs/${env}/main.tf does not call ${REMOTE_NET}" >&2
    exit 1
  }
  echo "   init  ${env}"
  tf init -input=false
  echo "   apply ${env}${*:+ $*}"
  tf apply -input=false -auto-approve "$@"
  echo "   plan  ${env}"
  tf plan -input=false -out="${env}.tfplan"
  tf_json "${SDIR}/${env}.plan.json" show -json "${env}.tfplan"
  tf_json "${SDIR}/${env}.state.json" show -json
  tf_json "${SDIR}/${env}.tfstate" state pull
  local dst="${SDIR}/envs/${env}/.terraform"
  rm -rf "${dst}"
  mkdir -p "${dst}"
  cp -R .terraform/modules "${dst}/modules"
  find "${dst}/modules" -name .git -prune -exec rm -rf {} +
}

if want i-dir-per-env; then
SCENARIO=i-dir-per-env
SCENARIOS+=("${SCENARIO}")
echo "== ${SCENARIO}"
SDIR="${OUT}/${SCENARIO}"
# Work copy of the sources, without what a previous run installed.
mkdir -p "${WORK}/${SCENARIO}/src"
(cd "${I_SRC}" && cp -R envs modules remote "${WORK}/${SCENARIO}/src/")
rm -rf "${WORK}/${SCENARIO}/src/envs/"*/.terraform
if [[ -d "${SDIR}" && "${SDIR}" -ef "${I_SRC}" ]]; then
  # Writing into the committed scenario: keep its sources.
  rm -rf "${SDIR}/"*.plan.json "${SDIR}/"*.state.json "${SDIR}/"*.tfstate "${SDIR}/envs/"*/.terraform
else
  rm -rf "${SDIR}"
  mkdir -p "${SDIR}"
  cp -R "${WORK}/${SCENARIO}/src/." "${SDIR}/"
fi
publish_remote_net
dir_env staging -- -var image_tag=v1.4.0
dir_env production
fi

# --- j: sensitive in staging only -----------------------------------------------
# Production's configuration lost `sensitive = true` on its variables, so its
# plan and state hold db_password (different from staging's), api_token (the
# same as staging's) and the api_keys map (the same; its keys are secrets
# too, and terraform_data.acl's output uses them as attribute names)
# unmarked. Both are applied from their terraform.tfvars; plans are no-ops.
J_SRC="${SCRIPT_DIR}/scenarios/j-cross-env-sensitive"
if want j-cross-env-sensitive; then
SCENARIO=j-cross-env-sensitive
SCENARIOS+=("${SCENARIO}")
echo "== ${SCENARIO}"
SDIR="${OUT}/${SCENARIO}"
mkdir -p "${WORK}/${SCENARIO}/src"
cp -R "${J_SRC}/envs" "${WORK}/${SCENARIO}/src/"
rm -rf "${WORK}/${SCENARIO}/src/envs/"*/.terraform "${WORK}/${SCENARIO}/src/envs/"*/.terraform.lock.hcl "${WORK}/${SCENARIO}/src/envs/"*/terraform.tfstate*
if [[ -d "${SDIR}" && "${SDIR}" -ef "${J_SRC}" ]]; then
  # Writing into the committed scenario: keep its sources.
  rm -rf "${SDIR}/"*.plan.json "${SDIR}/"*.state.json "${SDIR}/"*.tfstate
else
  rm -rf "${SDIR}"
  mkdir -p "${SDIR}"
  cp -R "${WORK}/${SCENARIO}/src/." "${SDIR}/"
fi
for env in staging production; do
  cd "${WORK}/${SCENARIO}/src/envs/${env}"
  echo "   init, apply, plan ${env}"
  tf init -input=false
  tf apply -input=false -auto-approve
  tf plan -input=false -out="${env}.tfplan"
  tf_json "${SDIR}/${env}.plan.json" show -json "${env}.tfplan"
  tf_json "${SDIR}/${env}.state.json" show -json
  tf_json "${SDIR}/${env}.tfstate" state pull
done
fi

# --- issue 17: lockstep init on three workspaces named dev, stg and prod ---------
# A first run as a new user has it: workspaces with short names (resource
# names carry "stg" and "prod"), checked as development, staging and
# production. Intended today: dev runs a newer engine, production larger
# web servers; the feature flag exists in dev only and the shield in prod
# only. Every password differs. `lockstep init` guesses the aliases and
# declares the rest; a check with its file reports no error.
if want init-three-workspaces; then
new_scenario init-three-workspaces
workdir "${WORK}/${SCENARIO}"
init_workspaces dev stg prod
apply dev
apply stg
apply prod
plan_and_snapshot dev
plan_and_snapshot stg
plan_and_snapshot prod
fi

# --- secrets --------------------------------------------------------------------
# Every secret in the var files of every scenario (values not printed):
# testdata/terraform/vars/SCENARIO-*.tfvars, and for i-dir-per-env and
# j-cross-env-sensitive their envs/ENV/*.tfvars: the values of db_password
# and api_token, and the keys and values of api_keys. A secret used twice
# (g-shared-secret) is listed once. Always over every scenario, whatever
# ONLY says.
for s in "${ALL_SCENARIOS[@]}"; do
  files=()
  for f in "${VARS}/${s}"-*.tfvars "${SCRIPT_DIR}/scenarios/${s}"/envs/*/*.tfvars; do
    [[ -f "${f}" ]] && files+=("${f}")
  done
  [[ ${#files[@]} -gt 0 ]] || { echo "generate.sh: no var files for scenario ${s}" >&2; exit 1; }
  awk '
    /^[[:space:]]*(db_password|api_token)[[:space:]]*=/ { if (match($0, /"[^"]*"/)) print substr($0, RSTART + 1, RLENGTH - 2); next }
    /^[[:space:]]*api_keys[[:space:]]*=[[:space:]]*[{]/ { keys = 1; next }
    keys && /^[[:space:]]*[}]/ { keys = 0; next }
    keys { while (match($0, /"[^"]*"/)) { print substr($0, RSTART + 1, RLENGTH - 2); $0 = substr($0, RSTART + RLENGTH) } }
  ' "${files[@]}"
done | sort -u >"${OUT}/secrets.txt"
[[ -s "${OUT}/secrets.txt" ]] || { echo "generate.sh: no db_password found in var files" >&2; exit 1; }

echo "fixtures written to ${OUT} in ${SECONDS}s ($(wc -l <"${OUT}/secrets.txt" | tr -d ' ') secrets listed in secrets.txt)"
