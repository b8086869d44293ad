#!/usr/bin/env bash
# Regenerates the module-credentials fixtures with real Terraform, offline:
# two environments (envs/staging, envs/production, committed) whose module
# calls carry credentials in the userinfo and in the query string, installed
# by `terraform init` from a local git repository and a local HTTP server.
# The plans hold the sources exactly as written, tokens included; lockstep
# must never print them (cmd/lockstep/modsrc_secrets_test.go).
#
# Usage: testdata/module-credentials/generate.sh [OUTPUT_DIR]
#   OUTPUT_DIR defaults to this directory. Needs terraform >= 1.5, git and go
#   on PATH, and the port 127.0.0.1:18765 free.
#
# It writes
#   OUTPUT_DIR/ENV.plan.json                   terraform show -json ENV.tfplan
#   OUTPUT_DIR/envs/ENV/.terraform/modules/    what terraform init installed
#                                              (modules.json keeps the raw
#                                              sources), without .git
# and, when OUTPUT_DIR is not this directory, a copy of envs/.
#
# The module sources are literals, so what they name is fixed:
#   git::file://...@localhost/tmp/lockstep-modsrc/net.git  built here from
#       remote/v1 and remote/v2 (tags v1, v2; fixed author and dates); the
#       userinfo is accepted and ignored by git for file://, and sshkey is
#       decoded by Terraform but never used for a local clone;
#   http://...@127.0.0.1:18765/RELEASE/net.zip  served by serve/ (the zip of
#       remote/RELEASE), which ignores the userinfo and the query string.
set -euo pipefail

export TF_IN_AUTOMATION=1
export TF_INPUT=0
export CHECKPOINT_DISABLE=1
if [[ -n "${TF_CLI_CONFIG_FILE:-}" && ! -e "${TF_CLI_CONFIG_FILE}" ]]; then
  unset TF_CLI_CONFIG_FILE
fi

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT="${1:-${SCRIPT_DIR}}"
mkdir -p "${OUT}"
OUT="$(cd "${OUT}" && pwd)"
REMOTE=/tmp/lockstep-modsrc
ADDR=127.0.0.1:18765

for tool in terraform git go; do
  command -v "${tool}" >/dev/null || { echo "generate.sh: ${tool} not found on PATH" >&2; exit 1; }
done

# One run at a time: the port and ${REMOTE} are fixed (the fixtures name
# them), and go test runs this package's test beside other checkouts' on a
# shared machine. flock waits for the other run to finish.
if command -v flock >/dev/null; then
  exec 9>"${REMOTE}.lock"
  flock -w 600 9 || { echo "generate.sh: another run held ${REMOTE}.lock for 10 minutes" >&2; exit 1; }
fi

WORK="$(mktemp -d "${TMPDIR:-/tmp}/lockstep-modsrc.XXXXXX")"
LOG="${WORK}/log"
SERVER=""
cleanup() {
  if [[ -n "${SERVER}" ]]; then
    kill "${SERVER}" 2>/dev/null || true
    wait "${SERVER}" 2>/dev/null || true
  fi
  rm -rf "${WORK}"
}
trap cleanup EXIT

fail() {
  echo "generate.sh: $1; log follows:" >&2
  cat "${LOG}" >&2
  exit 1
}

# The git repository: v1 and v2 of remote/, reproducible commits.
git=(env GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_SYSTEM=/dev/null GIT_CONFIG_NOSYSTEM=1
  GIT_AUTHOR_NAME=lockstep GIT_AUTHOR_EMAIL=lockstep@example.invalid GIT_AUTHOR_DATE="2026-01-01T00:00:00Z"
  GIT_COMMITTER_NAME=lockstep GIT_COMMITTER_EMAIL=lockstep@example.invalid GIT_COMMITTER_DATE="2026-01-01T00:00:00Z"
  git -c core.hooksPath=/dev/null -c commit.gpgsign=false -c tag.gpgsign=false -c init.defaultBranch=main)
repo="${WORK}/net"
mkdir -p "${repo}"
"${git[@]}" -C "${repo}" init -q >>"${LOG}" 2>&1 || fail "git init"
for release in v1 v2; do
  cp "${SCRIPT_DIR}/remote/${release}/main.tf" "${repo}/main.tf"
  { "${git[@]}" -C "${repo}" add -A && "${git[@]}" -C "${repo}" commit -q -m "net ${release}" &&
    "${git[@]}" -C "${repo}" tag "${release}"; } >>"${LOG}" 2>&1 || fail "committing ${release}"
done
mkdir -p "${REMOTE}"
rm -rf "${REMOTE}/net.git.new.$$"
"${git[@]}" clone -q --bare "${repo}" "${REMOTE}/net.git.new.$$" >>"${LOG}" 2>&1 || fail "git clone --bare"
rm -rf "${REMOTE}/net.git"
mv "${REMOTE}/net.git.new.$$" "${REMOTE}/net.git"

# The HTTP server, until the end of the script.
(cd "${SCRIPT_DIR}" && go build -o "${WORK}/serve" ./serve) >>"${LOG}" 2>&1 || fail "building serve"
"${WORK}/serve" "${ADDR}" "${SCRIPT_DIR}/remote" >"${WORK}/serve.out" 2>>"${LOG}" &
SERVER=$!
for _ in $(seq 50); do
  grep -q ready "${WORK}/serve.out" 2>/dev/null && break
  kill -0 "${SERVER}" 2>/dev/null || fail "the HTTP server did not start (is ${ADDR} in use?)"
  sleep 0.1
done
grep -q ready "${WORK}/serve.out" || fail "the HTTP server did not start within 5s"

for env in staging production; do
  echo "== ${env}"
  wd="${WORK}/envs/${env}"
  mkdir -p "${wd}"
  cp "${SCRIPT_DIR}/envs/${env}/main.tf" "${wd}/"
  cd "${wd}"
  terraform init -input=false -no-color >>"${LOG}" 2>&1 || fail "terraform init in ${env}"
  terraform plan -input=false -no-color -out="${env}.tfplan" >>"${LOG}" 2>&1 || fail "terraform plan in ${env}"
  terraform show -json "${env}.tfplan" >"${OUT}/${env}.plan.json" 2>>"${LOG}" || fail "terraform show in ${env}"
  dst="${OUT}/envs/${env}"
  mkdir -p "${dst}"
  [[ "${dst}" -ef "${SCRIPT_DIR}/envs/${env}" ]] || cp main.tf "${dst}/"
  rm -rf "${dst}/.terraform"
  mkdir -p "${dst}/.terraform"
  cp -R .terraform/modules "${dst}/.terraform/modules"
  find "${dst}/.terraform/modules" -name .git -prune -exec rm -rf {} +
done
echo "fixtures written to ${OUT} in ${SECONDS}s"
