package apidoc_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/wenming/wenming/internal/auth"
	"github.com/wenming/wenming/internal/store/storetest"
	"github.com/wenming/wenming/internal/testserver"
	"github.com/wenming/wenming/internal/web/webtest"
)

// The reference page loads, a pasted key authorises "Try it out", and the
// call reaches the real server: 401 before the key, 200 with it.
func TestDocsPageTriesACallWithAPastedKey(t *testing.T) {
	if testing.Short() {
		t.Skip("starts Chromium")
	}
	srv := testserver.Start(t, storetest.SQLite(t))
	b := webtest.New(t, webtest.Window(1280, 1400), webtest.Timeout(3*time.Minute))

	const op = `#operations-QuestionService-QuestionService_ListQuestions`
	const status = op + ` .live-responses-table .response .response-col_status`
	var title, before, after string
	b.Run(
		chromedp.Navigate(srv.BaseURL+"/docs"),
		chromedp.WaitVisible(`.swagger-ui .info .title`, chromedp.ByQuery),
		chromedp.Text(`.swagger-ui .info .title`, &title, chromedp.ByQuery),
		// Open ListQuestions and run it without a key.
		chromedp.Click(op+` .opblock-summary`, chromedp.ByQuery),
		chromedp.WaitVisible(op+` .execute`, chromedp.ByQuery),
		chromedp.Click(op+` .execute`, chromedp.ByQuery),
		chromedp.WaitVisible(status, chromedp.ByQuery),
		chromedp.Text(status, &before, chromedp.ByQuery),
		// Paste the analyst's key under Authorize.
		chromedp.Click(`.auth-wrapper .authorize`, chromedp.ByQuery),
		chromedp.WaitVisible(`.modal-ux input`, chromedp.ByQuery),
		chromedp.SendKeys(`.modal-ux input`, srv.Keys[auth.Analyst], chromedp.ByQuery),
		chromedp.Click(`.modal-ux .auth-btn-wrapper .authorize`, chromedp.ByQuery),
		chromedp.Click(`.modal-ux .btn-done`, chromedp.ByQuery),
		chromedp.WaitNotPresent(`.modal-ux`, chromedp.ByQuery),
		// Run it again, now authorised.
		chromedp.Click(op+` .execute`, chromedp.ByQuery),
		chromedp.Poll(`document.querySelector("`+status+`")?.innerText.trim() === "200"`, nil, chromedp.WithPollingTimeout(60*time.Second)),
		chromedp.Text(status, &after, chromedp.ByQuery),
	)
	// The operation as tried: its parameters, the curl line with the key,
	// and the live response.
	var shot []byte
	b.Run(chromedp.ScrollIntoView(op, chromedp.ByQuery), chromedp.Screenshot(op, &shot, chromedp.ByQuery))
	out := filepath.Join(os.TempDir(), "wenming-docs.png")
	if err := os.WriteFile(out, shot, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", out)

	if !strings.Contains(title, "wenming API") {
		t.Errorf("page title %q", title)
	}
	if strings.TrimSpace(before) != "401" || strings.TrimSpace(after) != "200" {
		t.Errorf("ListQuestions answered %q without the key and %q with it; want 401 then 200", before, after)
	}
	for _, e := range b.Errors() {
		// The keyless call's 401 is logged by the browser; it is expected.
		if !strings.Contains(e, "status of 401") {
			t.Errorf("page error (script or CSP): %s", e)
		}
	}
}
