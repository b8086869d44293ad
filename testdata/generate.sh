#!/usr/bin/env bash
# Regenerates the lockstep test fixtures from the Terraform configuration in
# testdata/terraform. Needs terraform >= 1.5 on PATH; no network (only the
# built-in terraform_data resource is used).
#
# Usage: testdata/generate.sh [OUTPUT_DIR]
#   OUTPUT_DIR defaults to testdata/scenarios next to this script.
#
# For each scenario and environment ENV (staging, production) it writes
#   OUTPUT_DIR/<scenario>/ENV.plan.json   terraform show -json ENV.tfplan
#   OUTPUT_DIR/<scenario>/ENV.state.json  terraform show -json (current state)
#   OUTPUT_DIR/<scenario>/ENV.tfstate     terraform state pull (raw state v4)
# plus OUTPUT_DIR/secrets.txt (every db_password used, one per line) and
# OUTPUT_DIR/d-declared-differences/lockstep.hcl.
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

command -v terraform >/dev/null || { echo "generate.sh: terraform not found on PATH" >&2; exit 1; }

WORK="$(mktemp -d "${TMPDIR:-/tmp}/lockstep-fixtures.XXXXXX")"
LOG="${WORK}/terraform.log"
trap 'rm -rf "${WORK}"' EXIT

# tf ARGS... : run terraform in the current scenario's work dir, logging its
# output; on failure show the log and abort.
tf() {
  if ! terraform "$@" -no-color >>"${LOG}" 2>&1; then
    echo "generate.sh: 'terraform $*' failed in ${PWD}; log follows:" >&2
    cat "${LOG}" >&2
    exit 1
  fi
}

# tf_json OUTFILE ARGS... : like tf, but stdout is the fixture file.
tf_json() {
  local outfile="$1"
  shift
  if ! terraform "$@" >"${outfile}" 2>>"${LOG}"; then
    echo "generate.sh: 'terraform $*' failed in ${PWD}; log follows:" >&2
    cat "${LOG}" >&2
    exit 1
  fi
}

SCENARIO=""
SDIR=""

# start SCENARIO: fresh copy of the configuration, init, empty workspaces.
start() {
  SCENARIO="$1"
  echo "== ${SCENARIO}"
  local wd="${WORK}/${SCENARIO}"
  mkdir -p "${wd}"
  cp -R "${TF_SRC}/." "${wd}/"
  rm -rf "${wd}/.terraform" "${wd}/.terraform.lock.hcl" "${wd}/terraform.tfstate" "${wd}/terraform.tfstate.d"
  cd "${wd}"
  tf init -input=false
  tf workspace new staging
  tf workspace new production
  SDIR="${OUT}/${SCENARIO}"
  rm -rf "${SDIR}"
  mkdir -p "${SDIR}"
}

varfile() { # varfile ENV [SUFFIX]
  local f="${VARS}/${SCENARIO}-$1${2:+-$2}.tfvars"
  [[ -f "${f}" ]] || { echo "generate.sh: missing ${f}" >&2; exit 1; }
  printf '%s' "${f}"
}

apply() { # apply ENV [SUFFIX]
  echo "   apply ${1}${2:+ (${2})}"
  tf workspace select "$1"
  tf apply -input=false -auto-approve -var-file="$(varfile "$@")"
}

# plan ENV [SUFFIX]: plan the environment's next change and snapshot the
# plan, the state JSON and the raw state of that workspace.
plan_and_snapshot() {
  local env="$1"
  echo "   plan  ${env}${2:+ (${2})}"
  tf workspace select "${env}"
  tf plan -input=false -out="${env}.tfplan" -var-file="$(varfile "$@")"
  tf_json "${SDIR}/${env}.plan.json" show -json "${env}.tfplan"
  tf_json "${SDIR}/${env}.state.json" show -json
  tf_json "${SDIR}/${env}.tfstate" state pull
}

# --- a: a change applied to staging only --------------------------------------
start a-staging-only-change
apply staging
apply production
plan_and_snapshot staging
plan_and_snapshot production

# --- b: a PR that changes staging only ------------------------------------------
start b-pr-changes-staging-only
apply staging
apply production
plan_and_snapshot staging next
plan_and_snapshot production

# --- c: promotion, change in flight in both environments -----------------------
start c-promotion-before
apply staging
apply production
plan_and_snapshot staging next
plan_and_snapshot production next

# --- c: promotion, staging has applied, production is planned -------------------
start c-promotion-after
apply staging
apply production
apply staging next
plan_and_snapshot staging next
plan_and_snapshot production next

# --- d: declared differences ----------------------------------------------------
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

# --- secrets --------------------------------------------------------------------
# Every db_password value in the var files used above (values not printed).
for s in a-staging-only-change b-pr-changes-staging-only c-promotion-before c-promotion-after d-declared-differences; do
  sed -n 's/^[[:space:]]*db_password[[:space:]]*=[[:space:]]*"\(.*\)"[[:space:]]*$/\1/p' "${VARS}/${s}"-*.tfvars
done | sort -u >"${OUT}/secrets.txt"
[[ -s "${OUT}/secrets.txt" ]] || { echo "generate.sh: no db_password found in var files" >&2; exit 1; }

echo "fixtures written to ${OUT} ($(wc -l <"${OUT}/secrets.txt" | tr -d ' ') secrets listed in secrets.txt)"
