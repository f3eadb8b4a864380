package webtest_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/wenming/wenming/internal/web/webtest"
)

// Axe finds what it should: a page without a language and with a button
// nobody can name breaks two serious rules; the same page fixed breaks none.
func TestAxeReportsSeriousViolations(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if r.URL.Path == "/good" {
			_, _ = w.Write([]byte(`<!doctype html><html lang="zh-CN"><title>好</title><main><button>开始</button></main></html>`))
			return
		}
		_, _ = w.Write([]byte(`<!doctype html><html><title>坏</title><main><button></button></main></html>`))
	}))
	defer srv.Close()
	b := webtest.New(t, webtest.Window(480, 360))
	b.Run(chromedp.Navigate(srv.URL + "/bad"))
	var ids []string
	for _, v := range b.Axe() {
		ids = append(ids, v.ID)
	}
	if got := strings.Join(ids, ","); !strings.Contains(got, "html-has-lang") || !strings.Contains(got, "button-name") {
		t.Errorf("violations of the bad page: %q", got)
	}
	b.Run(chromedp.Navigate(srv.URL + "/good"))
	if v := b.Axe(); len(v) != 0 {
		t.Errorf("violations of the good page: %v", v)
	}
}
