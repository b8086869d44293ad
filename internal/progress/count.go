package progress

import (
	"io"
	"sync/atomic"
	"time"

	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"
)

// Counter is one bar counting work items (lockstep report's stacks): done
// of total, the time elapsed, and the item that finished last. The zero
// value and nil show nothing.
type Counter struct {
	p    *mpb.Progress
	bar  *mpb.Bar
	last atomic.Value
}

// NewCounter shows a bar of total items on w when show is set (see
// Terminal), else nothing.
func NewCounter(w io.Writer, show bool, name string, total int) *Counter {
	if !show || total <= 0 {
		return &Counter{}
	}
	c := &Counter{p: mpb.New(mpb.WithOutput(w), mpb.WithAutoRefresh(), mpb.WithRefreshRate(200*time.Millisecond))}
	c.last.Store("")
	c.bar = c.p.AddBar(int64(total),
		mpb.PrependDecorators(decor.Name(name+" ", decor.WC{}), decor.CountersNoUnit("%d/%d")),
		mpb.AppendDecorators(decor.Elapsed(decor.ET_STYLE_GO, decor.WC{W: 5}), decor.Any(func(decor.Statistics) string {
			return " " + c.last.Load().(string)
		})))
	return c
}

// Done counts one item, named item.
func (c *Counter) Done(item string) {
	if c == nil || c.bar == nil {
		return
	}
	if len(item) > 40 {
		item = item[:37] + "..."
	}
	c.last.Store(item)
	c.bar.Increment()
}

// Wait draws the final state; call it once all items are done or the
// run failed (the bar is then left where it stopped).
func (c *Counter) Wait() {
	if c == nil || c.p == nil {
		return
	}
	if !c.bar.Completed() {
		c.bar.Abort(false)
	}
	c.p.Wait()
}
