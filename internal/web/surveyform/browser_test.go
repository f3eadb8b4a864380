package surveyform_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/wenming/wenming/internal/demo"
	"github.com/wenming/wenming/internal/rpc"
	"github.com/wenming/wenming/internal/store/storetest"
	"github.com/wenming/wenming/internal/testserver"
	"github.com/wenming/wenming/internal/web/webtest"
)

// demoServer runs a server with the demo data (the questionnaire of
// internal/demo/survey.yaml) and returns it with the campaign's code.
func demoServer(t *testing.T) (*testserver.Server, string) {
	t.Helper()
	s := testserver.Start(t, storetest.SQLite(t))
	keys, err := demo.Load(context.Background(), rpc.Deps{DB: s.DB})
	if err != nil {
		t.Fatal(err)
	}
	return s, keys.SurveyCode
}

func responses(t *testing.T, s *testserver.Server) int {
	t.Helper()
	var n int
	if err := s.DB.R.Get(&n, `SELECT COUNT(*) FROM svy_responses`); err != nil {
		t.Fatal(err)
	}
	return n
}

// A resident on a phone answers the demo questionnaire: follow-up
// questions appear only after the answer that calls for them, and the
// response is stored once.
func TestAResidentAnswersOnAPhone(t *testing.T) {
	s, code := demoServer(t)
	before := responses(t, s)
	b := webtest.New(t, webtest.Window(390, 844))
	var q2Class, q12Class, done string
	b.Run(
		chromedp.Navigate(s.BaseURL+"/s/"+code),
		chromedp.WaitVisible("h1"),
		chromedp.AttributeValue("#q-Q2", "class", &q2Class, nil),
	)
	if !strings.Contains(q2Class, "hidden") {
		t.Errorf("Q2 (shown only after Q1 = 知道) is visible before Q1 is answered: class %q", q2Class)
	}
	b.Screenshot("form-top")
	b.Run(
		chromedp.SetValue("#s-community", "桂园社区", chromedp.ByQuery),
		chromedp.SetValue("#s-age", "60岁及以上", chromedp.ByQuery),
		chromedp.SetValue("#s-sex", "女", chromedp.ByQuery),
		chromedp.Click(`input[name="q:Q1"][value="A"]`, chromedp.ByQuery),
		chromedp.WaitVisible("#q-Q2"),
		chromedp.Click(`input[name="q:Q2"][value="tv"]`, chromedp.ByQuery),
		chromedp.Click(`input[name="q:Q3"][value="C"]`, chromedp.ByQuery),
		chromedp.Click(`input[name="q:Q5"][value="4"]`, chromedp.ByQuery),
		chromedp.Click(`input[name="q:Q6"][value="5"]`, chromedp.ByQuery),
	)
	for _, row := range []string{"bus", "market", "park", "hospital"} {
		b.Run(chromedp.Click(`input[name="q:Q7:`+row+`"][value="4"]`, chromedp.ByQuery))
	}
	b.Run(
		chromedp.Click(`input[name="q:Q8"][value="dogs"]`, chromedp.ByQuery),
		chromedp.Click(`input[name="q:Q10"][value="4"]`, chromedp.ByQuery),
		chromedp.Click(`input[name="q:Q11"][value="5"]`, chromedp.ByQuery),
		chromedp.WaitVisible("#q-Q12"),
		chromedp.AttributeValue("#q-Q12", "class", &q12Class, nil),
		chromedp.Click(`input[name="q:Q12"][value="slow"]`, chromedp.ByQuery),
		chromedp.SendKeys("#in-Q13", "12", chromedp.ByQuery),
		chromedp.SendKeys("#in-Q14", "希望楼道里的杂物能及时清理。", chromedp.ByQuery),
	)
	b.Screenshot("form-filled")
	b.Run(
		chromedp.Click("button.submit", chromedp.ByQuery),
		chromedp.WaitVisible(".notice.ok"),
		chromedp.Text("h1", &done),
	)
	b.Screenshot("thanks")
	if done != "感谢您的参与！" {
		t.Errorf("after submitting: %q", done)
	}
	if got := responses(t, s); got != before+1 {
		t.Errorf("%d responses, want %d", got, before+1)
	}
	if errs := b.Errors(); len(errs) > 0 {
		t.Errorf("browser errors: %v", errs)
	}
}

// Without JavaScript every question shows; the server's refusals come
// back beside the questions they name and nothing is stored.
func TestWithoutJavaScriptTheServerNamesWhatToFix(t *testing.T) {
	s, code := demoServer(t)
	before := responses(t, s)
	b := webtest.New(t, webtest.Window(390, 844), webtest.NoJavaScript())
	var q2Err, q5Err string
	b.Run(
		chromedp.Navigate(s.BaseURL+"/s/"+code),
		chromedp.WaitVisible("h1"),
		chromedp.SetValue("#s-community", "东湖社区", chromedp.ByQuery),
		chromedp.SetValue("#s-age", "18-39岁", chromedp.ByQuery),
		chromedp.SetValue("#s-sex", "男", chromedp.ByQuery),
		// Q1 = 不知道 hides Q2, which is answered anyway; Q5 (required) is left out.
		chromedp.Click(`input[name="q:Q1"][value="C"]`, chromedp.ByQuery),
		chromedp.Click(`input[name="q:Q2"][value="net"]`, chromedp.ByQuery),
		chromedp.Click("button.submit", chromedp.ByQuery),
		chromedp.WaitVisible("#problems"),
		chromedp.Text("#q-Q2 .err", &q2Err, chromedp.ByQuery),
		chromedp.Text("#q-Q5 .err", &q5Err, chromedp.ByQuery),
	)
	b.Screenshot("refused")
	if !strings.Contains(q2Err, "无需回答") || !strings.Contains(q5Err, "必须回答") {
		t.Errorf("Q2 says %q, Q5 says %q", q2Err, q5Err)
	}
	if got := responses(t, s); got != before {
		t.Errorf("a refused form stored a response: %d, want %d", got, before)
	}
	// The answers entered are still there.
	var checked bool
	b.Run(chromedp.Evaluate(`document.querySelector('input[name="q:Q1"][value="C"]').checked`, &checked))
	if !checked {
		t.Error("the resident's answer to Q1 was lost")
	}
}

func TestAnUnknownCodeIsAPlainNotFoundPage(t *testing.T) {
	s, _ := demoServer(t)
	r := s.DoKey(t, "", http.MethodGet, "/s/nosuchcode", nil)
	if r.Status != http.StatusNotFound || !strings.Contains(string(r.Body), "没有找到这份问卷") {
		t.Errorf("unknown code: %d %s", r.Status, r.Body)
	}
	if csp := r.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") {
		t.Errorf("CSP = %q", csp)
	}
}
