// Package rules embeds the built-in Rego rules: one package per rule, each
// with its # METADATA (title, severity, description, remediation) and a
// _test.rego beside it, plus lib with the helper that gives every finding
// the same shape (and facts_test.rego, the tests' shared input builders).
// A rule's id is its package's last name with - for _, derived by policy
// and lib alike, so the package is the one place it is written. They ship
// inside the binary so a check never depends on files next to it.
package rules

import "embed"

// FS holds lib/ and one directory per rule, tests included. It embeds by
// glob so a new rule directory ships without being listed anywhere;
// TestEmbedMatchesDisk notices a file the glob would miss.
//
//go:embed */*.rego
var FS embed.FS
