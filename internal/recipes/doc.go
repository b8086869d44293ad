// Package recipes holds no code, only tests: they run the integrations that
// the documentation and the repository ship for users, as written, so that a
// recipe that stops working fails CI instead of a user's pipeline.
//
//   - docs/pre-apply.md: the Atlantis workflow (its atlantis.yaml, run the way
//     Atlantis runs it), the shell step before apply, and the pre-commit
//     configuration with this repository's .pre-commit-hooks.yaml. The code
//     blocks are taken from the Markdown by their <!-- recipe: NAME -->
//     marker and run with real Terraform and a lockstep built from this
//     checkout.
//   - action.yml: the composite GitHub Action's run steps, executed with bash
//     as the runner would (inputs through env, GITHUB_OUTPUT and
//     GITHUB_STEP_SUMMARY as files, `if:` conditions evaluated), with the
//     steps that call other actions checked and stood in for.
//
// Terraform and pre-commit are required in CI (CI set): the tests fail
// without them there and skip elsewhere. .ci/run installs both.
package recipes
