package surveyform_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"regexp"
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
	s := testserver.Start(t, storetest.SQLite(t), func(d *rpc.Deps) { d.Secret = bytes.Repeat([]byte{7}, 32) })
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
	axe(t, b, "form")
	// Sent with nothing answered, the form comes back with every required
	// question marked; that page is accessible too.
	var marked int
	b.Run(
		chromedp.Click("button.submit", chromedp.ByQuery),
		chromedp.WaitVisible("#problems"),
		chromedp.Evaluate(`document.querySelectorAll('.q .err').length`, &marked),
	)
	b.Screenshot("refused")
	axe(t, b, "refused")
	if marked < 5 {
		t.Errorf("%d questions marked after an empty submit, want every required one", marked)
	}
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
	axe(t, b, "thanks")
	if done != "感谢您的参与！" {
		t.Errorf("after submitting: %q", done)
	}
	if got := responses(t, s); got != before+1 {
		t.Errorf("%d responses, want %d", got, before+1)
	}
	for _, e := range b.Errors() {
		// The refused submit above answers 422 by design; Chromium logs it.
		if !strings.Contains(e, "status of 422") {
			t.Errorf("browser error: %s", e)
		}
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

func axe(t *testing.T, b *webtest.Browser, page string) {
	t.Helper()
	for _, v := range b.Axe() {
		t.Errorf("%s page: %s", page, v)
	}
}

// The page the error shows is accessible too.
func TestTheNotFoundPageIsAccessible(t *testing.T) {
	s, _ := demoServer(t)
	b := webtest.New(t, webtest.Window(390, 844))
	b.Run(chromedp.Navigate(s.BaseURL+"/s/nosuchcode"), chromedp.WaitVisible("h1"))
	b.Screenshot("not-found")
	axe(t, b, "not found")
}

// formFields reads the hidden fields of a fresh form.
func formFields(t *testing.T, s *testserver.Server, code string) (requestID, token string) {
	t.Helper()
	r := s.DoKey(t, "", http.MethodGet, "/s/"+code, nil)
	m := regexp.MustCompile(`name="request_id" value="([^"]+)"[\s\S]*name="token" value="([^"]+)"`).FindSubmatch(r.Body)
	if r.Status != http.StatusOK || m == nil {
		t.Fatalf("form: %d %.300s", r.Status, r.Body)
	}
	return string(m[1]), string(m[2])
}

// postForm posts the questionnaire as a browser would.
func postForm(t *testing.T, s *testserver.Server, code string, form url.Values) (int, string) {
	t.Helper()
	resp, err := http.PostForm(s.BaseURL+"/s/"+code, form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// A form is single use: its token binds the request id it was issued
// with, a resent form is the same one response, and a POST that did not
// come from a fresh form of ours (no token, a forged one, the honeypot
// filled) is refused before anything is stored.
func TestAFormTokenIsSingleUse(t *testing.T) {
	s, code := demoServer(t)
	rid, tok := formFields(t, s, code)
	answers := url.Values{
		"s:community": {"桂园社区"}, "s:age": {"60岁及以上"}, "s:sex": {"女"},
		"q:Q1": {"C"}, "q:Q3": {"C"}, "q:Q5": {"4"}, "q:Q6": {"5"},
		"q:Q7:bus": {"4"}, "q:Q7:market": {"4"}, "q:Q7:park": {"4"}, "q:Q7:hospital": {"4"},
		"q:Q8": {"dogs"}, "q:Q10": {"4"}, "q:Q11": {"8"}, "q:Q13": {"12"},
	}
	with := func(extra ...string) url.Values {
		f := url.Values{}
		for k, v := range answers {
			f[k] = v
		}
		for i := 0; i+1 < len(extra); i += 2 {
			f.Set(extra[i], extra[i+1])
		}
		return f
	}
	before := responses(t, s)
	for name, form := range map[string]url.Values{
		"no token":        with("request_id", rid),
		"forged token":    with("request_id", rid, "token", tok[:len(tok)-4]+"AAAA"),
		"other request":   with("request_id", "f-someotherid", "token", tok),
		"honeypot filled": with("request_id", rid, "token", tok, "website", "http://spam.example"),
	} {
		if st, body := postForm(t, s, code, form); st != http.StatusForbidden || !strings.Contains(body, "已失效") {
			t.Errorf("%s: %d %.200s", name, st, body)
		}
	}
	if got := responses(t, s); got != before {
		t.Fatalf("a refused POST stored a response: %d, want %d", got, before)
	}
	for i := 0; i < 2; i++ {
		if st, body := postForm(t, s, code, with("request_id", rid, "token", tok)); st != http.StatusOK || !strings.Contains(body, "感谢您的参与") {
			t.Fatalf("post %d: %d %s", i+1, st, regexp.MustCompile(`class="err"[^<]*<|id="problems"[\s\S]*?</div>`).FindAllString(body, -1))
		}
	}
	if got := responses(t, s); got != before+1 {
		t.Errorf("the same form posted twice: %d responses, want %d", got, before+1)
	}
	// Changing the answers under a used token is not a second response.
	if st, body := postForm(t, s, code, with("request_id", rid, "token", tok, "q:Q13", "5")); st != http.StatusConflict || !strings.Contains(body, "已经提交过") {
		t.Errorf("changed answers under a used token: %d %s", st, regexp.MustCompile(`class="err"[^<]*<|id="problems"[\s\S]*?</div>`).FindAllString(body, -1))
	}
	if got := responses(t, s); got != before+1 {
		t.Errorf("%d responses, want %d", got, before+1)
	}
}
