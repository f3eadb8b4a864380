package web_test

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/wenming/wenming/internal/web"
	"github.com/wenming/wenming/internal/web/webtest"
)

// The harness itself: a page renders in Chinese, its own script runs, and
// an inline script is refused by the CSP and reported.
func TestBrowserRunsOwnScriptsAndRefusesInlineOnes(t *testing.T) {
	srv := httptest.NewServer(web.ExportedTestApp(t))
	defer srv.Close()
	b := webtest.New(t, webtest.Window(480, 360))
	var js, inline string
	b.Run(
		chromedp.Navigate(srv.URL+"/t/hello?name=王阿姨"),
		chromedp.WaitVisible("h1"),
		chromedp.Text("#js", &js),
		chromedp.Text("#inline", &inline),
	)
	if js != "脚本已运行" {
		t.Errorf("own script did not run: %q", js)
	}
	if inline != "内联脚本未运行" {
		t.Errorf("inline script ran despite the CSP: %q", inline)
	}
	b.Screenshot("hello")
	found := false
	for _, e := range b.Errors() {
		if strings.Contains(e, "Content Security Policy") {
			found = true
		}
	}
	if !found {
		t.Errorf("the CSP refusal was not reported; errors: %v", b.Errors())
	}
}
