// Package webtest drives headless Chromium (through chromedp) against a
// real wenming server for the web apps' end-to-end tests, and keeps the
// screenshots they take.
//
// Chromium is Debian's /usr/bin/chromium (or $WENMING_CHROMIUM). Without
// it the browser tests skip with a message on a laptop, and fail when
// CI=true, so CI never passes by skipping them.
package webtest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// Browser is one headless Chromium tab for one test.
type Browser struct {
	Ctx context.Context
	t   testing.TB

	mu     sync.Mutex
	errors []string
}

// Option adjusts the browser a test gets.
type Option func(*settings)

type settings struct {
	width, height int
	noJS          bool
	timeout       time.Duration
	flags         map[string]any
}

// Window sets the viewport in CSS pixels (default 1280×800).
func Window(w, h int) Option { return func(s *settings) { s.width, s.height = w, h } }

// NoJavaScript runs the tab with JavaScript disabled.
func NoJavaScript() Option { return func(s *settings) { s.noJS = true } }

// Flag passes a command-line switch to Chromium, e.g.
// Flag("disable-features", "BackForwardCache").
func Flag(name string, value any) Option {
	return func(s *settings) {
		if s.flags == nil {
			s.flags = map[string]any{}
		}
		s.flags[name] = value
	}
}

// Timeout bounds the whole browser session (default 4 minutes: a loaded
// 2-core machine running the race-detector suite has needed more than 2).
func Timeout(d time.Duration) Option { return func(s *settings) { s.timeout = d } }

// ChromiumPath finds the browser, or returns "".
func ChromiumPath() string {
	if p := os.Getenv("WENMING_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// New starts Chromium for t, or skips t (fails it when CI=true) when there
// is no Chromium on the machine. JavaScript exceptions and console errors
// of the page are collected; see Errors.
func New(t testing.TB, opts ...Option) *Browser {
	t.Helper()
	path := ChromiumPath()
	if path == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("webtest: chromium is not installed and CI=true; install Debian's chromium package")
		}
		t.Skip("webtest: chromium not found (install Debian's chromium or set WENMING_CHROMIUM); skipping the browser test")
	}
	s := settings{width: 1280, height: 800, timeout: 4 * time.Minute}
	for _, o := range opts {
		o(&s)
	}
	// Not t.TempDir: Chromium may still be writing its profile when the
	// test's cleanup removes it, which would fail the test.
	profile, err := os.MkdirTemp("", "wenming-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	allocOpts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(profile),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("lang", "zh-CN"),
		chromedp.WindowSize(s.width, s.height),
	}
	for name, value := range s.flags {
		allocOpts = append(allocOpts, chromedp.Flag(name, value))
	}
	if s.noJS {
		allocOpts = append(allocOpts, chromedp.Flag("blink-settings", "scriptEnabled=false"))
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), allocOpts...)
	ctx, cancelTab := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, s.timeout)
	t.Cleanup(func() {
		cancelTimeout()
		cancelTab()
		cancelAlloc()
		_ = os.RemoveAll(profile)
	})

	b := &Browser{Ctx: ctx, t: t}
	chromedp.ListenTarget(ctx, func(ev any) {
		switch ev := ev.(type) {
		case *runtime.EventExceptionThrown:
			b.record("exception: " + ev.ExceptionDetails.Error())
		case *runtime.EventConsoleAPICalled:
			if ev.Type == runtime.APITypeError {
				var parts []string
				for _, a := range ev.Args {
					parts = append(parts, strings.Trim(string(a.Value), `"`)+a.Description)
				}
				b.record("console.error: " + strings.Join(parts, " "))
			}
		case *cdplog.EventEntryAdded:
			// Chromium reports refused resources and CSP violations here.
			if ev.Entry.Level == cdplog.LevelError {
				b.record("log: " + ev.Entry.Text)
			}
		}
	})
	if err := chromedp.Run(ctx, cdplog.Enable(), chromedp.EmulateViewport(int64(s.width), int64(s.height))); err != nil {
		t.Fatalf("webtest: start chromium: %v", err)
	}
	return b
}

func (b *Browser) record(msg string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.errors = append(b.errors, msg)
}

// Errors are the JavaScript exceptions and console errors seen so far
// (a CSP violation shows up here too).
func (b *Browser) Errors() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.errors...)
}

// Run runs chromedp actions, failing the test on error.
func (b *Browser) Run(actions ...chromedp.Action) {
	b.t.Helper()
	if err := chromedp.Run(b.Ctx, actions...); err != nil {
		b.t.Fatalf("webtest: %v", err)
	}
}

// Follow clicks the link sel (a CSS selector) and returns once the page it
// leads to has loaded, failing the test on an error status. Waiting for
// something on the new page right after a plain Click can catch the old
// page's nodes as they go ("Could not find node with given id").
func (b *Browser) Follow(sel string) {
	b.t.Helper()
	resp, err := chromedp.RunResponse(b.Ctx, chromedp.Click(sel, chromedp.ByQuery))
	if err != nil {
		b.t.Fatalf("webtest: follow %s: %v", sel, err)
	}
	if resp.Status >= 400 {
		b.t.Fatalf("webtest: follow %s: %s answered %d", sel, resp.URL, resp.Status)
	}
}

// Screenshot saves a full-page PNG named name+".png" in the test's
// artifact folder (kept with `go test -artifacts -outputdir DIR`), and
// also in $WENMING_SCREENSHOTS when that is set. It returns the path.
func (b *Browser) Screenshot(name string) string {
	b.t.Helper()
	var png []byte
	b.Run(chromedp.FullScreenshot(&png, 100))
	dir := ""
	if tt, ok := b.t.(interface{ ArtifactDir() string }); ok {
		dir = tt.ArtifactDir()
	} else {
		dir = os.TempDir()
	}
	p := filepath.Join(dir, name+".png")
	if err := os.WriteFile(p, png, 0o644); err != nil {
		b.t.Fatal(err)
	}
	if extra := os.Getenv("WENMING_SCREENSHOTS"); extra != "" {
		if err := os.MkdirAll(extra, 0o755); err == nil {
			safe := strings.NewReplacer("/", "_", " ", "_").Replace(b.t.Name())
			_ = os.WriteFile(filepath.Join(extra, fmt.Sprintf("%s-%s.png", safe, name)), png, 0o644)
		}
	}
	return p
}
