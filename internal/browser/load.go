package browser

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// load opens url in a new tab, records its requests and errors until the
// load event (and a moment after, for late requests), then takes the text,
// a screenshot and a PDF.
func (c *conn) load(ctx context.Context, url string) (*Page, error) {
	c.mu.Lock()
	c.events = make(chan message, 4096)
	events := c.events
	c.mu.Unlock()
	res, err := c.call("", "Target.createTarget", map[string]any{"url": "about:blank"})
	if err != nil {
		return nil, err
	}
	var target struct{ TargetID string }
	json.Unmarshal(res, &target)
	res, err = c.call("", "Target.attachToTarget", map[string]any{"targetId": target.TargetID, "flatten": true})
	if err != nil {
		return nil, err
	}
	var attached struct{ SessionID string }
	json.Unmarshal(res, &attached)
	s := attached.SessionID
	for _, m := range []string{"Page.enable", "Network.enable", "Runtime.enable", "Log.enable"} {
		if _, err := c.call(s, m, nil); err != nil {
			return nil, err
		}
	}
	if _, err := c.call(s, "Page.navigate", map[string]any{"url": url}); err != nil {
		return nil, err
	}
	page := &Page{}
	loaded := false
	settle := time.After(30 * time.Second)
	for done := false; !done; {
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-settle:
			if !loaded {
				return nil, errors.New("the page did not load within 30 s")
			}
			done = true
		case m, ok := <-events:
			if !ok {
				return nil, errors.New("chromium closed the DevTools pipe")
			}
			if m.SessionID != s {
				continue
			}
			page.record(m)
			if m.Method == "Page.loadEventFired" && !loaded {
				loaded = true
				settle = time.After(500 * time.Millisecond)
			}
		}
	}
	res, err = c.call(s, "Runtime.evaluate", map[string]any{"expression": "document.body.innerText", "returnByValue": true})
	if err != nil {
		return nil, err
	}
	var text struct{ Result struct{ Value string } }
	json.Unmarshal(res, &text)
	page.Text = text.Result.Value
	if page.Screenshot, err = c.data(s, "Page.captureScreenshot", map[string]any{"format": "png", "captureBeyondViewport": false}); err != nil {
		return nil, err
	}
	if page.PDF, err = c.data(s, "Page.printToPDF", map[string]any{"printBackground": true}); err != nil {
		return nil, err
	}
	return page, nil
}

// record keeps the requests and errors an event reports.
func (p *Page) record(m message) {
	switch m.Method {
	case "Network.requestWillBeSent":
		var e struct{ Request struct{ URL string } }
		json.Unmarshal(m.Params, &e)
		p.Requests = append(p.Requests, e.Request.URL)
	case "Runtime.consoleAPICalled":
		var e struct {
			Type string
			Args []struct {
				Value any
			}
		}
		json.Unmarshal(m.Params, &e)
		if e.Type == "error" || e.Type == "assert" {
			p.Errors = append(p.Errors, fmt.Sprintf("console.%s %v", e.Type, e.Args))
		}
	case "Runtime.exceptionThrown":
		p.Errors = append(p.Errors, "exception: "+string(m.Params))
	case "Log.entryAdded":
		var e struct {
			Entry struct{ Level, Source, Text, URL string }
		}
		json.Unmarshal(m.Params, &e)
		if e.Entry.Level == "error" || e.Entry.Level == "warning" {
			p.Errors = append(p.Errors, fmt.Sprintf("%s %s: %s %s", e.Entry.Level, e.Entry.Source, e.Entry.Text, e.Entry.URL))
		}
	}
}

// data calls a method whose result is base64 data.
func (c *conn) data(session, method string, params any) ([]byte, error) {
	res, err := c.call(session, method, params)
	if err != nil {
		return nil, err
	}
	var r struct{ Data string }
	if err := json.Unmarshal(res, &r); err != nil {
		return nil, fmt.Errorf("%s: %w", method, err)
	}
	return base64.StdEncoding.DecodeString(r.Data)
}
