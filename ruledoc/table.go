package ruledoc

import (
	"io"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/tw"

	"github.com/lockstep-iac/lockstep/policy"
)

// Table lists one rule per row, id first so it can be copied into a waiver,
// with titles wrapped to keep the table within Width columns.
type Table struct {
	Width int
}

// Format writes the rule table.
func (t Table) Format(w io.Writer, rules []policy.Rule) error {
	width := t.Width
	if width <= 0 {
		width = 80
	}
	rules = sorted(rules)
	// Ids and severities are never wrapped (an id is copied whole into
	// waivers); the title gets the rest of Width. Its maximum counts its own
	// padding, so only the four borders and the other two columns' padding
	// (8 in all) are taken off.
	idWidth, sevWidth := len("ID"), len("SEVERITY")
	for _, r := range rules {
		idWidth = max(idWidth, len(r.ID))
		sevWidth = max(sevWidth, len(r.Severity))
	}
	titleWidth := max(width-idWidth-sevWidth-8, 20)
	tbl := tablewriter.NewTable(w,
		tablewriter.WithHeaderAutoFormat(tw.Off),
		tablewriter.WithHeader([]string{"ID", "SEVERITY", "TITLE"}),
		tablewriter.WithRendition(tw.Rendition{Symbols: tw.NewSymbols(tw.StyleASCII)}),
		tablewriter.WithConfig(tablewriter.Config{
			Row: tw.CellConfig{
				Formatting:   tw.CellFormatting{AutoWrap: tw.WrapNormal},
				Alignment:    tw.CellAlignment{Global: tw.AlignLeft},
				ColMaxWidths: tw.CellWidth{PerColumn: tw.Mapper[int, int]{2: titleWidth}},
			},
			Header: tw.CellConfig{Alignment: tw.CellAlignment{Global: tw.AlignLeft}},
		}),
	)
	for _, r := range rules {
		if err := tbl.Append([]string{r.ID, string(r.Severity), title(r)}); err != nil {
			return err
		}
	}
	return tbl.Render()
}

// title is a rule's title, saying when the rule judges each environment's
// input alone (--env-policy), which its id does not tell.
func title(r policy.Rule) string {
	if r.Scope == policy.ScopeEnvironment {
		return r.Title + " (per environment)"
	}
	return r.Title
}
