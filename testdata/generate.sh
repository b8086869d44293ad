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
#   TOFU is the tofu binary of the OpenTofu variants (ONLY name: opentofu);
#   see the issue 20 section near the end.
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
ALL_SCENARIOS+=(w-workspaces-tfvars) # issue 17 (items 2,3,6)
# issue 16's scenarios (their section is near the end).
ALL_SCENARIOS+=(p-three-envs q-module-call-tokens r-one-root-cause)
ALL_SCENARIOS+=(k-env-name-in-value l-embedded-identifier m-reference-sets) # issue 16, items 1-3
# want SCENARIO: whether this run generates SCENARIO (see ONLY).
want() { [[ -z "${ONLY:-}" || " ${ONLY} " == *" $1 "* ]]; }
for s in ${ONLY:-}; do
  [[ " ${ALL_SCENARIOS[*]} opentofu " == *" ${s} "* ]] || { echo "generate.sh: ONLY names an unknown scenario '${s}' (known: ${ALL_SCENARIOS[*]} opentofu)" >&2; exit 1; }
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

# lockfiles_config FILE: a lockstep.hcl naming staging's and production's
# lock files beside it (f-version-skew, OpenTofu's tool-mix).
lockfiles_config() {
  cat >"$1" <<'EOF'
environment "staging" {
  lockfile = "staging.terraform.lock.hcl"
}
environment "production" {
  lockfile = "production.terraform.lock.hcl"
}
promotion = ["staging", "production"]
EOF
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
  local dir="${WORK}/${SCENARIO}/lock-${version}${LOCK_HOST:+-${LOCK_HOST}}"
  local pkg="${dir}/pkg" mirror="${dir}/mirror"
  local exe="terraform-provider-null_v${version}_x5"
  # LOCK_HOST: the registry host the binary locks hashicorp/null from.
  local zipdir="${mirror}/${LOCK_HOST:-registry.terraform.io}/hashicorp/null"
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
  echo "   lock  hashicorp/null ${version} ($(basename "${TF}") $(tf_version "${TF}")) -> $(basename "${outfile}")"
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
lockfiles_config "${SDIR}/lockstep.hcl"
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

# --- issue 16: three environments, module calls with tokens, one root cause ---
# These scenarios have their own committed configuration, not testdata/terraform:
# p-three-envs and r-one-root-cause one configuration with workspaces
# (scenarios/SCENARIO/config; var files in testdata/terraform/vars as usual),
# q-module-call-tokens one root module per environment (scenarios/SCENARIO/envs/ENV
# with its terraform.tfvars, calling ../../modules/app). Besides the usual
# ENV.{plan.json,state.json,tfstate} (ENV also dev in p-three-envs) they copy
# their sources when OUTPUT_DIR is elsewhere.

# own_sources SCENARIO DIR...: announce SCENARIO, copy its committed sources
# (the directories DIR...) to a work directory, and clear the scenario's
# generated files in OUTPUT_DIR, or copy the sources there when OUTPUT_DIR is
# not testdata/scenarios.
own_sources() {
  SCENARIO="$1"
  shift
  SCENARIOS+=("${SCENARIO}")
  echo "== ${SCENARIO}"
  SDIR="${OUT}/${SCENARIO}"
  local src="${SCRIPT_DIR}/scenarios/${SCENARIO}"
  rm -rf "${WORK}/${SCENARIO}/src"
  mkdir -p "${WORK}/${SCENARIO}/src"
  (cd "${src}" && cp -R "$@" "${WORK}/${SCENARIO}/src/")
  find "${WORK}/${SCENARIO}/src" \( -name .terraform -o -name .terraform.lock.hcl -o -name 'terraform.tfstate*' \) -prune -exec rm -rf {} +
  if [[ -d "${SDIR}" && "${SDIR}" -ef "${src}" ]]; then
    rm -f "${SDIR}/"*.plan.json "${SDIR}/"*.state.json "${SDIR}/"*.tfstate
  else
    rm -rf "${SDIR}"
    mkdir -p "${SDIR}"
    cp -R "${WORK}/${SCENARIO}/src/." "${SDIR}/"
  fi
}

# --- p: three environments: an unknown is not a change; who diverges ---
# dev, staging and production. Applied: engine 15.4 / 15.4 / 14.9, instance
# class db.t3.micro / db.t3.medium / db.t3.medium, LOG_LEVEL info / warn /
# info. Planned: dev unchanged; staging moves LOG_LEVEL to info (it
# converges on dev); production upgrades the engine to 15.4 (converges; its
# db's whole output becomes known after apply) and moves LOG_LEVEL to warn
# (it diverges).
if want p-three-envs; then
own_sources p-three-envs config
cd "${WORK}/${SCENARIO}/src/config"
init_workspaces dev staging production
apply dev
apply staging
apply production
plan_and_snapshot dev
plan_and_snapshot staging next
plan_and_snapshot production next
fi

# --- q: module calls named after their environment -----------------------------
# envs/staging calls module "app_staging", envs/production module "app_prod"
# (alias prod in lockstep.hcl), both from ../../modules/app. Engine 15.4 in
# staging vs 14.9 in production (applied); plans are no-ops.
if want q-module-call-tokens; then
own_sources q-module-call-tokens envs modules
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
cat >"${SDIR}/lockstep.hcl" <<'EOF'
environment "staging" {}
environment "production" {
  aliases = ["prod"]
}
promotion = ["staging", "production"]
EOF
fi

# --- r: one root cause, one finding ---------------------------------------------
# Checked with --target production. Both applied with engine 14.9; production's
# plan (a pre-apply run) upgrades it to 15.4, staging's plan is a no-op: a
# promotion-order and a one-sided-change on terraform_data.db. Production also
# has terraform_data.replica[0], which staging lacks, pointing at staging's
# network (its id passed with -var, as in e-cross-env-reference): a
# cross-env-reference and a missing-resource on it.
if want r-one-root-cause; then
own_sources r-one-root-cause config
cd "${WORK}/${SCENARIO}/src/config"
init_workspaces staging production
apply staging
staging_network_id="$(output_raw staging network_id)"
apply production -- -var "network_id=${staging_network_id}"
plan_and_snapshot staging
plan_and_snapshot production next -- -var "network_id=${staging_network_id}"
fi

# --- issue 16 (items 1-3) ------------------------------------------------------
# k-env-name-in-value, l-embedded-identifier and m-reference-sets each have
# one configuration (scenarios/SCENARIO/config/main.tf) with workspaces staging
# and production, applied and planned with scenarios/SCENARIO/envs/ENV/
# terraform.tfvars; k also has a committed lockstep.hcl (aliases stg, prod).
# Besides ENV.{plan.json,state.json,tfstate} it copies the scenario's sources
# when OUTPUT_DIR is elsewhere.
#   k: production's values name staging (queue ARN, DB_HOST, DLQ name, a URL
#      list, a JSON policy, a tag, a sensitive token); staging's REPORTS_DB
#      names production; shared and look-alike literals (prod archive,
#      products, prodigy) are not references.
#   l: production's URL, JSON env list, connection string and peer address
#      embed staging's network id (its network_id output, passed with -var).
#   m: the same sets of security group ids in a different order per
#      workspace (production's sg["web"] is replaced until its id sorts on the
#      other side of sg["monitoring"]'s than in staging), plus real
#      differences: production's api lacks monitoring, its worker has db
#      instead of monitoring.
issue16_items_1_3() {
  # ws_scenario SCENARIO: start SCENARIO from its own committed configuration.
  ws_scenario() {
    local src="${SCRIPT_DIR}/scenarios/$1"
    SCENARIO="$1"
    SCENARIOS+=("${SCENARIO}")
    echo "== ${SCENARIO}"
    SDIR="${OUT}/${SCENARIO}"
    if [[ -d "${SDIR}" && "${SDIR}" -ef "${src}" ]]; then
      rm -rf "${SDIR}/"*.plan.json "${SDIR}/"*.state.json "${SDIR}/"*.tfstate
    else
      rm -rf "${SDIR}"
      mkdir -p "${SDIR}"
      cp -R "${src}/." "${SDIR}/"
    fi
    mkdir -p "${WORK}/${SCENARIO}"
    cp -R "${src}/config/." "${WORK}/${SCENARIO}/"
    rm -rf "${WORK}/${SCENARIO}/.terraform" "${WORK}/${SCENARIO}/.terraform.lock.hcl" "${WORK}/${SCENARIO}/terraform.tfstate.d"
    cd "${WORK}/${SCENARIO}"
    init_workspaces staging production
  }
  # ws_apply ENV [TERRAFORM_ARGS...] and ws_plan ENV [TERRAFORM_ARGS...]:
  # apply, or plan and snapshot, ENV's workspace with its
  # envs/ENV/terraform.tfvars.
  ws_apply() {
    local env="$1"
    shift
    echo "   apply ${env}${*:+ $*}"
    tf workspace select "${env}"
    tf apply -input=false -auto-approve -var-file="${SDIR}/envs/${env}/terraform.tfvars" "$@"
  }
  ws_plan() {
    local env="$1"
    shift
    echo "   plan  ${env}${*:+ $*}"
    tf workspace select "${env}"
    tf plan -input=false -out="${env}.tfplan" -var-file="${SDIR}/envs/${env}/terraform.tfvars" "$@"
    tf_json "${SDIR}/${env}.plan.json" show -json "${env}.tfplan"
    tf_json "${SDIR}/${env}.state.json" show -json
    tf_json "${SDIR}/${env}.tfstate" state pull
  }

  if want k-env-name-in-value; then
    ws_scenario k-env-name-in-value
    ws_apply staging
    ws_apply production
    ws_plan staging
    ws_plan production
  fi

  if want l-embedded-identifier; then
    ws_scenario l-embedded-identifier
    ws_apply staging
    local staging_network_id
    staging_network_id="$(output_raw staging network_id)"
    ws_apply production -var "network_id=${staging_network_id}"
    ws_plan staging
    ws_plan production -var "network_id=${staging_network_id}"
  fi

  if want m-reference-sets; then
    ws_scenario m-reference-sets
    ws_apply staging
    ws_apply production
    local tries=0
    while [[ "$(output_raw staging web_sorts_first)" == "$(output_raw production web_sorts_first)" ]]; do
      tries=$((tries + 1))
      [[ ${tries} -le 30 ]] || { echo "generate.sh: m-reference-sets: ids kept sorting alike after 30 replacements" >&2; exit 1; }
      # Both are replaced: replacing web alone can take many tries when
      # monitoring's id happens to sort near an end (one starting 00 is
      # under web's new id 255 times in 256); with both new each try is
      # a coin flip.
      ws_apply production -replace='terraform_data.sg["web"]' -replace='terraform_data.sg["monitoring"]'
    done
    ws_plan staging
    ws_plan production
  fi
}
issue16_items_1_3

# --- issue 17 (items 2,3,6) ---
# w-workspaces-tfvars: three workspaces, a var file each.
# One configuration (committed in testdata/scenarios/w-workspaces-tfvars/config)
# with the workspaces dev, staging and production, each applied and planned
# with -var-file=ENV.tfvars; common.auto.tfvars sets log_level for all of
# them (dev.tfvars overrides it). module.app (for_each api, web) takes every
# value from root variables; it calls module.sidecar. dev runs a release
# candidate image, and staging (1.4.0) and production (1.3.0) differ too;
# security groups sit in nested lists, the tier in a label whose key has
# dots; debug_tools[0] exists in dev only, audit[0] in staging only;
# production alone sets region and replicas. Plans are no-ops. Writes
# ENV.{plan.json,state.json,tfstate} for ENV in dev, staging, production.
W_SRC="${SCRIPT_DIR}/scenarios/w-workspaces-tfvars"
if want w-workspaces-tfvars; then
SCENARIO=w-workspaces-tfvars
SCENARIOS+=("${SCENARIO}")
echo "== ${SCENARIO}"
SDIR="${OUT}/${SCENARIO}"
mkdir -p "${WORK}/${SCENARIO}/src"
cp -R "${W_SRC}/config/." "${WORK}/${SCENARIO}/src/"
rm -rf "${WORK}/${SCENARIO}/src/.terraform" "${WORK}/${SCENARIO}/src/.terraform.lock.hcl" "${WORK}/${SCENARIO}/src/terraform.tfstate"*
if [[ -d "${SDIR}" && "${SDIR}" -ef "${W_SRC}" ]]; then
  # Writing into the committed scenario: keep its sources.
  rm -rf "${SDIR}/"*.plan.json "${SDIR}/"*.state.json "${SDIR}/"*.tfstate
else
  rm -rf "${SDIR}"
  mkdir -p "${SDIR}/config"
  cp -R "${W_SRC}/config/." "${SDIR}/config/"
fi
cd "${WORK}/${SCENARIO}/src"
init_workspaces dev staging production
for env in dev staging production; do
  echo "   apply, plan ${env}"
  tf workspace select "${env}"
  tf apply -input=false -auto-approve -var-file="${env}.tfvars"
  tf plan -input=false -out="${env}.tfplan" -var-file="${env}.tfvars"
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

# --- issue 20: OpenTofu ---------------------------------------------------------
# OpenTofu variants, made by tofu: TOFU, else tofu on PATH, else
# $(go env GOPATH)/tofu-v1.10.10/tofu (what .ci/run builds). Generated when
# ONLY is empty or names "opentofu" (ONLY=opentofu generates them alone).
#   OUTPUT_DIR/opentofu/<scenario>/ENV.{plan.json,state.json,tfstate}
#       the core scenarios (TOFU_SCENARIOS), made as above with tofu in
#       place of terraform, with the Terraform variant's lockstep.hcl;
#   OUTPUT_DIR/opentofu/encrypted-state/staging.tfstate
#       the state file as tofu writes it with client-side state encryption
#       (a pbkdf2 key provider and aes_gcm, configured through
#       TF_ENCRYPTION with a passphrase made up for this run and then
#       forgotten), staging.tfplan, the plan file `tofu plan -out` writes
#       with the same method for plans, and staging.pulled.tfstate, `tofu
#       state pull` of the state (decrypted);
#   OUTPUT_DIR/opentofu/tool-mix/{staging,production}.terraform.lock.hcl
#       hashicorp/null 3.2.4 locked by terraform (registry.terraform.io) and
#       by tofu (registry.opentofu.org), from placeholder packages as in
#       f-version-skew: without network, a lock file is the one input where
#       a registry provider's address shows (plans and states need the
#       provider itself).
TOFU_SCENARIOS=(a-staging-only-change b-pr-changes-staging-only c-promotion-before c-promotion-after
  d-declared-differences e-cross-env-reference g-shared-secret h-waivers)
TOFU_BUILD="go mod download -json github.com/opentofu/opentofu@v1.10.10, copy its Dir somewhere writable and run go build -o \$(go env GOPATH)/tofu-v1.10.10/tofu ./cmd/tofu there (.ci/run does)"
if [[ -z "${ONLY:-}" || " ${ONLY} " == *" opentofu "* ]]; then
if [[ -z "${TOFU:-}" ]]; then
  TOFU="$(command -v tofu || true)"
  [[ -n "${TOFU}" ]] || TOFU="$(go env GOPATH 2>/dev/null)/tofu-v1.10.10/tofu"
fi
[[ -x "${TOFU}" ]] || { echo "generate.sh: tofu for the OpenTofu variants (TOFU=${TOFU}) is missing; ${TOFU_BUILD}" >&2; exit 1; }
echo "tofu $(tf_version "${TOFU}") (${TOFU})"
TF_OUT="${OUT}"
TF_WORK="${WORK}"
OUT="${TF_OUT}/opentofu"
WORK="${TF_WORK}/opentofu"
mkdir -p "${OUT}" "${WORK}"
TF="${TOFU}"
for s in "${TOFU_SCENARIOS[@]}"; do
  start "${s}"
  case "${s}" in
  b-pr-changes-staging-only)
    apply staging; apply production
    plan_and_snapshot staging next; plan_and_snapshot production ;;
  c-promotion-before)
    apply staging; apply production
    plan_and_snapshot staging next; plan_and_snapshot production next ;;
  c-promotion-after)
    apply staging; apply production; apply staging next
    plan_and_snapshot staging next; plan_and_snapshot production next ;;
  e-cross-env-reference)
    apply staging
    staging_network_id="$(output_raw staging network_id)"
    apply production -- -var "network_id=${staging_network_id}"
    plan_and_snapshot staging
    plan_and_snapshot production -- -var "network_id=${staging_network_id}" ;;
  *)
    apply staging; apply production
    plan_and_snapshot staging; plan_and_snapshot production ;;
  esac
  for hcl in "${TF_OUT}/${s}/lockstep.hcl" "${SCRIPT_DIR}/scenarios/${s}/lockstep.hcl"; do
    if [[ -f "${hcl}" ]]; then cp "${hcl}" "${SDIR}/lockstep.hcl"; break; fi
  done
done

new_scenario encrypted-state
mkdir -p "${WORK}/${SCENARIO}"
cd "${WORK}/${SCENARIO}"
cat >main.tf <<'EOF'
resource "terraform_data" "db" {
  input = {
    name           = "db-${terraform.workspace}"
    engine_version = "15.4"
  }
}
EOF
# A passphrase for this run only: nobody can decrypt the committed file,
# and nothing needs to.
passphrase="$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')"
TF_ENCRYPTION="key_provider \"pbkdf2\" \"main\" {
  passphrase = \"${passphrase}\"
}
method \"aes_gcm\" \"main\" {
  keys = key_provider.pbkdf2.main
}
state {
  method = method.aes_gcm.main
}
plan {
  method = method.aes_gcm.main
}"
export TF_ENCRYPTION
echo "   init, apply staging, plan (state and plan encrypted: pbkdf2, aes_gcm)"
init_workspaces staging
tf apply -input=false -auto-approve
sed -i 's/15.4/15.5/' main.tf
tf plan -input=false -out=staging.tfplan
for f in terraform.tfstate.d/staging/terraform.tfstate staging.tfplan; do
  grep -q '"encrypted_data"' "${f}" || { echo "generate.sh: tofu did not encrypt ${PWD}/${f}" >&2; exit 1; }
done
cp terraform.tfstate.d/staging/terraform.tfstate "${SDIR}/staging.tfstate"
cp staging.tfplan "${SDIR}/staging.tfplan"
tf_json "${SDIR}/staging.pulled.tfstate" state pull
unset TF_ENCRYPTION passphrase

new_scenario tool-mix
TF=terraform
provider_lock 3.2.4 "${SDIR}/staging.terraform.lock.hcl"
TF="${TOFU}"
LOCK_HOST=registry.opentofu.org provider_lock 3.2.4 "${SDIR}/production.terraform.lock.hcl"
lockfiles_config "${SDIR}/lockstep.hcl"

TF=terraform
OUT="${TF_OUT}"
WORK="${TF_WORK}"
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
  for f in "${VARS}/${s}"-*.tfvars "${SCRIPT_DIR}/scenarios/${s}"/envs/*/*.tfvars "${SCRIPT_DIR}/scenarios/${s}"/config/*.tfvars; do
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
