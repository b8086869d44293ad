package check

import "github.com/lockstep-iac/lockstep/report"

// Fails says whether a report's findings reach the level: the verdict Run's
// exit code carries, for callers that give theirs another way (a run
// task's passed or failed).
func (f FailOn) Fails(r *report.Report) bool { return failed(r, f) }
