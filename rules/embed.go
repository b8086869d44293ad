// Package rules embeds the built-in Rego rules: one package per rule, each
// with its # METADATA (id, title, severity, description, remediation) and a
// _test.rego beside it, plus lib with the helper that gives every finding
// the same shape. They ship inside the binary so a check never depends on
// files next to it.
package rules

import "embed"

// FS holds lib/ and one directory per rule, tests included.
//
//go:embed lib missing_resource attribute_divergence one_sided_change promotion_order cross_env_reference out_of_band_drift version_skew shared_secret expired_waiver
var FS embed.FS
