package check

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"

	"github.com/lockstep-iac/lockstep/output"
)

// Output is one rendering of the report: a format and where it goes.
type Output struct {
	Format    string
	Formatter output.Formatter
	// Path is the file to write; "" is standard output.
	Path string
}

// Destinations are everything one run writes: the reports, the policy
// input document and GitHub's job summary. WriteOutputs writes them as one
// transaction.
type Destinations struct {
	Reports []Output
	// DumpInput is the file to write the policy input document to, ""
	// for none.
	DumpInput string
	// StepSummary is GitHub's job summary file ($GITHUB_STEP_SUMMARY),
	// which the github format appends the Markdown report to; "" for none.
	StepSummary string
}

// summary reports whether the run appends to the job summary: only the
// github format does.
func (d Destinations) summary() bool {
	if d.StepSummary == "" {
		return false
	}
	for _, o := range d.Reports {
		if _, ok := o.Formatter.(output.GitHub); ok {
			return true
		}
	}
	return false
}

// WriteOutputs renders every output, then writes them all or none, so a
// run that fails (exit 2) leaves nothing new behind:
//
//  1. Destinations.Check: no two outputs are one file, no output is an
//     input of the run, every file's directory exists.
//  2. Render every report, and the job summary, in memory.
//  3. Write each file to a temporary file in its directory (fsync'd).
//  4. Rename each over its destination, keeping a hard link to the file it
//     replaces; append the job summary; write standard output (and any
//     device or FIFO destination) last, after every file is in place.
//  5. When any step fails: remove the temporary files, put the replaced
//     files back, cut the job summary to its old size. Only then is the
//     error returned.
//
// A destination that is a symbolic link is followed: the file it points
// to is replaced and the link stays, as writing through it did before.
// A link to nothing is refused. A destination that exists keeps its
// permissions (not its owner, nor other hard links to it, which keep the
// old contents); a new one is created 0644, less the umask.
func WriteOutputs(res *Result, d Destinations, stdout io.Writer) error {
	dests, err := d.resolve()
	if err != nil {
		return err
	}
	if err := checkDestinations(dests, res.inputs); err != nil {
		return err
	}
	rep := res.Report
	var summary []byte
	outs := d.Reports
	if d.summary() {
		size := int64(0)
		if st, err := os.Stat(d.StepSummary); err == nil {
			size = st.Size()
		}
		add, note, err := output.StepSummary(rep, d.StepSummary, size)
		if err != nil {
			return fmt.Errorf("render the job summary: %w", err)
		}
		summary = add
		if note != "" {
			outs = slices.Clone(outs)
			for i, o := range outs {
				if g, ok := o.Formatter.(output.GitHub); ok {
					g.SummaryNote = note
					outs[i].Formatter = g
				}
			}
		}
	}
	var tx transaction
	for i, o := range outs {
		var buf bytes.Buffer
		if err := o.Formatter.Format(&buf, rep); err != nil {
			return fmt.Errorf("render %s: %w", o.Format, err)
		}
		tx.add(dests[i], buf.Bytes())
	}
	if d.DumpInput != "" {
		if res.Input == nil {
			return &DestinationError{File: File{Role: FileDumpInput, Path: d.DumpInput}, Err: errors.New("the run kept no input document (Evaluate keeps it when Options.Outputs.DumpInput is set)")}
		}
		tx.add(dests[len(outs)], res.Input)
	}
	if summary != nil {
		tx.add(dests[len(dests)-1], summary)
	}
	return tx.commit(stdout)
}
