package output

import "github.com/lockstep-iac/lockstep/report"

// FailingFirst orders findings as the Markdown report does: unwaived
// errors, then the other unwaived findings, then the waived ones, in
// report order within each; for other views of one report (a run task's
// outcomes) that must agree with it.
func FailingFirst(fs []report.Finding) []report.Finding { return orderForMarkdown(fs) }
