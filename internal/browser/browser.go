// Package browser opens a local HTML file in headless Chromium and reports
// what a reader's browser would do with it: the requests it makes, the
// errors on its console, its text, a screenshot and a printed PDF. Tests of
// the HTML report use it to show the page is self-contained (no request
// but the file itself) and reads well on screen and on paper. It talks to
// Chromium over the DevTools protocol on a pipe (--remote-debugging-pipe:
// NUL-terminated JSON on file descriptors 3 and 4), so it needs no port, no
// client library and nothing but the chromium binary.
package browser

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
)

// Find is the Chromium binary on PATH, or "".
func Find() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// Page is what loading one file showed.
type Page struct {
	// Requests are the URLs the page asked for, the file itself included.
	Requests []string
	// Errors are console errors, uncaught exceptions and error log
	// entries (a blocked request, a CSP violation).
	Errors []string
	// Text is document.body.innerText.
	Text       string
	Screenshot []byte // PNG
	PDF        []byte
}

// Load opens path in a fresh headless Chromium (its own profile, no
// network services of its own), waits for the load event, and collects.
func Load(ctx context.Context, chromium, path string) (*Page, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	profile, err := os.MkdirTemp("", "lockstep-chromium-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(profile)
	toBrowser, cmdW, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	fromBrowser, outW, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-extensions",
		"--hide-scrollbars", "--window-size=1280,1600", "--user-data-dir="+profile, "--remote-debugging-pipe", "about:blank")
	cmd.ExtraFiles = []*os.File{toBrowser, outW}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", chromium, err)
	}
	toBrowser.Close()
	outW.Close()
	c := &conn{w: cmdW, r: bufio.NewReader(fromBrowser), waiting: map[int]chan message{}}
	go c.read()
	defer func() {
		c.call("", "Browser.close", nil)
		cmdW.Close()
		cmd.Wait()
	}()
	page, err := c.load(ctx, "file://"+abs)
	if err != nil {
		return nil, fmt.Errorf("%w (chromium said: %s)", err, strings.TrimSpace(stderr.String()))
	}
	return page, nil
}

type message struct {
	ID        int             `json:"id,omitempty"`
	SessionID string          `json:"sessionId,omitempty"`
	Method    string          `json:"method,omitempty"`
	Params    json.RawMessage `json:"params,omitempty"`
	Result    json.RawMessage `json:"result,omitempty"`
	Error     *struct {
		Message string `json:"message"`
	} `json:"error,omitempty"`
}

type conn struct {
	w       *os.File
	r       *bufio.Reader
	mu      sync.Mutex
	next    int
	waiting map[int]chan message
	events  chan message
	readErr error
}

func (c *conn) read() {
	for {
		b, err := c.r.ReadBytes(0)
		if err != nil {
			c.mu.Lock()
			c.readErr = err
			for _, ch := range c.waiting {
				close(ch)
			}
			c.waiting = map[int]chan message{}
			if c.events != nil {
				close(c.events)
				c.events = nil
			}
			c.mu.Unlock()
			return
		}
		var m message
		if json.Unmarshal(b[:len(b)-1], &m) != nil {
			continue
		}
		c.mu.Lock()
		if ch, ok := c.waiting[m.ID]; ok && m.ID != 0 {
			delete(c.waiting, m.ID)
			ch <- m
		} else if c.events != nil && m.Method != "" {
			select {
			case c.events <- m:
			default: // a flood of events is not what the caller waits for
			}
		}
		c.mu.Unlock()
	}
}

// call sends a command and waits for its result.
func (c *conn) call(session, method string, params any) (json.RawMessage, error) {
	p, _ := json.Marshal(params)
	if params == nil {
		p = []byte("{}")
	}
	ch := make(chan message, 1)
	c.mu.Lock()
	if c.readErr != nil {
		c.mu.Unlock()
		return nil, c.readErr
	}
	c.next++
	id := c.next
	c.waiting[id] = ch
	c.mu.Unlock()
	b, _ := json.Marshal(message{ID: id, SessionID: session, Method: method, Params: p})
	if _, err := c.w.Write(append(b, 0)); err != nil {
		return nil, err
	}
	m, ok := <-ch
	if !ok {
		return nil, errors.New("chromium closed the DevTools pipe during " + method)
	}
	if m.Error != nil {
		return nil, fmt.Errorf("%s: %s", method, m.Error.Message)
	}
	return m.Result, nil
}
