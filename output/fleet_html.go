package output

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"strings"
	"sync"

	"github.com/lockstep-iac/lockstep/evidence"
)

// FleetHTML is the report auditors open, archive and print: one
// self-contained file of html/template output with inline CSS and an
// inline SVG chart, and no script, font, image or link that a browser
// would fetch. Every value goes through the template's escaping.
type FleetHTML struct{}

//go:embed fleet_html.tmpl
var fleetHTMLSource string

// fleetHTMLTemplate is parsed when first used: parsing it at start-up cost
// every command, a check of two small plans included, about a millisecond.
var fleetHTMLTemplate = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("report").Funcs(template.FuncMap{
		"cell":       cellText,
		"cellStatus": cellStatus,
		"join":       strings.Join,
		"printable":  Printable,
		"serial": func(p *int64) string {
			if p == nil {
				return ""
			}
			return fmt.Sprint(*p)
		},
	}).Parse(fleetHTMLSource))
})

// FormatFleet writes the HTML report.
func (FleetHTML) FormatFleet(w io.Writer, d *evidence.Document, digest string) error {
	return fleetHTMLTemplate().Execute(w, struct {
		*evidence.Document
		Digest string
		Chart  trendChart
	}{d, digest, newTrendChart(d.History)})
}

// cellStatus is the status of a stack's cell for a pair, "none" when the
// stack does not have the pair.
func cellStatus(r evidence.MatrixRow, p evidence.Pair) string {
	for _, c := range r.Cells {
		if c.Pair == p {
			return string(c.Status)
		}
	}
	return "none"
}

// trendChart is the history drawn as an SVG line chart: findings that are
// not waived, and waived ones, per report.
type trendChart struct {
	Width, Height int
	// Left is the x of the axis: room for the first date below it.
	Left         int
	Open, Waived string // polyline points
	Points       []chartPoint
	Max          int
}

type chartPoint struct {
	X, Y, YW int
	Label    string
	Open     int
	Waived   int
}

func newTrendChart(h []evidence.HistoryPoint) trendChart {
	const left, right, top, bottom = 70, 50, 16, 28
	c := trendChart{Width: 560, Height: 160, Max: 1, Left: left}
	for _, p := range h {
		c.Max = max(c.Max, p.Errors+p.Warnings, p.Waived)
	}
	span := c.Width - left - right
	var open, waived []string
	for i, p := range h {
		x := left + span/2
		if len(h) > 1 {
			x = left + i*span/(len(h)-1)
		}
		y := func(v int) int { return top + (c.Height-top-bottom)*(c.Max-v)/c.Max }
		pt := chartPoint{X: x, Y: y(p.Errors + p.Warnings), YW: y(p.Waived), Label: p.AsOf, Open: p.Errors + p.Warnings, Waived: p.Waived}
		c.Points = append(c.Points, pt)
		open = append(open, fmt.Sprintf("%d,%d", pt.X, pt.Y))
		waived = append(waived, fmt.Sprintf("%d,%d", pt.X, pt.YW))
	}
	c.Open, c.Waived = strings.Join(open, " "), strings.Join(waived, " ")
	return c
}
