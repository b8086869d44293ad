#!/usr/bin/env bash
# Regenerates the fleet fixture of `lockstep report` from the Terraform
# configuration in testdata/fleet/terraform, with real Terraform (offline:
# only the built-in terraform_data resource). It is apart from
# testdata/generate.sh because it builds stacks, not scenarios.
#
# Usage: testdata/fleet/generate.sh
#
# Writes testdata/fleet/exports/STACK/ENV.* for environments dev, staging
# and production, in promotion order:
#   alpha    in parity; raw states (`terraform state pull`): ENV.tfstate
#   bravo    a staging-only change: every environment applied alike, then
#            staging's plan moves the database to engine 16: ENV.json plans
#   charlie  production applied with a larger app and engine 16, and a
#            lockstep.hcl whose waiver of the size difference expired on
#            2026-06-30: ENV.json states (`terraform show -json`)
#   delta    dev and staging states, and production.json cut off after its
#            first 200 bytes (an export that failed half-way): unreadable
#   echo     production only: not comparable
#   foxtrot  the same staging-only change as bravo, so that the fleet groups
#            show one divergence in two stacks
# plus secrets.txt, every db_password used, one per line (the leak tests).
# The lockstep.hcl files are written by hand, like the scenarios' ones.
# Regenerated files differ from run to run (ids, lineage) even when nothing
# meaningful changed.
set -euo pipefail
export TF_IN_AUTOMATION=1 TF_INPUT=0 CHECKPOINT_DISABLE=1

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT="${HERE}/exports"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/lockstep-fleet.XXXXXX")"
LOG="${WORK}/terraform.log"
trap 'rm -rf "${WORK}"' EXIT
command -v terraform >/dev/null || { echo "fleet/generate.sh: terraform not found on PATH" >&2; exit 1; }

tf() {
  if ! terraform "$@" -no-color >>"${LOG}" 2>&1; then
    echo "fleet/generate.sh: 'terraform $*' failed in ${PWD}; log follows:" >&2
    cat "${LOG}" >&2
    exit 1
  fi
}
tf_json() {
  local outfile="$1"
  shift
  if ! terraform "$@" >"${outfile}" 2>>"${LOG}"; then
    echo "fleet/generate.sh: 'terraform $*' failed in ${PWD}; log follows:" >&2
    cat "${LOG}" >&2
    exit 1
  fi
}

# stack NAME: a fresh work dir for NAME with one workspace per environment.
stack() {
  echo "== $1"
  mkdir -p "${WORK}/$1" "${OUT}/$1"
  find "${OUT}/$1" -type f ! -name lockstep.hcl -delete
  cp "${HERE}/terraform/main.tf" "${WORK}/$1/"
  cd "${WORK}/$1"
  tf init -input=false
  local env
  for env in dev staging production; do tf workspace new "${env}"; done
}

# vars SIZE ENGINE ENV: the -var arguments; the password is per stack and env.
vars() {
  local pw="fleet-${PWD##*/}-$3-pw"
  echo "${pw}" >>"${OUT}/secrets.txt"
  VARS=(-var "size=$1" -var "engine_version=$2" -var "db_password=${pw}")
}

# apply ENV SIZE ENGINE
apply() {
  tf workspace select "$1"
  vars "$2" "$3" "$1"
  tf apply -auto-approve -input=false "${VARS[@]}"
}

# plan ENV SIZE ENGINE OUTFILE: terraform show -json of a saved plan.
plan() {
  tf workspace select "$1"
  vars "$2" "$3" "$1"
  tf plan -input=false -out="$1.tfplan" "${VARS[@]}"
  tf_json "$4" show -json "$1.tfplan"
}

# state ENV OUTFILE: terraform show -json of the current state.
state() {
  tf workspace select "$1"
  tf_json "$2" show -json
}

mkdir -p "${OUT}"
: >"${OUT}/secrets.txt"

stack alpha
for env in dev staging production; do
  apply "${env}" small 15
  tf_json "${OUT}/alpha/${env}.tfstate" state pull
done

stack bravo
for env in dev staging production; do apply "${env}" small 15; done
plan dev small 15 "${OUT}/bravo/dev.json"
plan staging small 16 "${OUT}/bravo/staging.json"
plan production small 15 "${OUT}/bravo/production.json"

stack foxtrot
for env in dev staging production; do apply "${env}" small 15; done
plan dev small 15 "${OUT}/foxtrot/dev.json"
plan staging small 16 "${OUT}/foxtrot/staging.json"
plan production small 15 "${OUT}/foxtrot/production.json"

stack charlie
apply dev small 15
apply staging small 15
apply production large 16
for env in dev staging production; do state "${env}" "${OUT}/charlie/${env}.json"; done

stack delta
for env in dev staging production; do apply "${env}" small 15; done
state dev "${OUT}/delta/dev.json"
state staging "${OUT}/delta/staging.json"
state production "${WORK}/delta-production.json"
head -c 200 "${WORK}/delta-production.json" >"${OUT}/delta/production.json"

stack echo
apply production small 15
state production "${OUT}/echo/production.json"

sort -u -o "${OUT}/secrets.txt" "${OUT}/secrets.txt"
echo "fleet fixture written to ${OUT}"
