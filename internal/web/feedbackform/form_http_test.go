package feedbackform_test

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	feedbackv1 "github.com/wenming/wenming/gen/go/wenming/feedback/v1"
	"github.com/wenming/wenming/internal/auth"
	"github.com/wenming/wenming/internal/testserver"
)

func gunzip(t *testing.T, p page) string {
	t.Helper()
	if p.header.Get("Content-Encoding") != "gzip" {
		return p.body
	}
	zr, err := gzip.NewReader(strings.NewReader(p.body))
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(zr)
	return string(raw)
}

// FirstViewBudget is the most the form's first view may transfer.
const FirstViewBudget = 30 << 10

func TestFormPageShowsWhoIsRatedAndFitsTheBudget(t *testing.T) {
	testserver.Each(t, func(t *testing.T, s *testserver.Server) {
		h := newHall(t, s)
		p := fetch(t, "GET", s.BaseURL+"/f/"+h.staffCode+"?c=qr", nil, "Accept-Encoding", "gzip")
		if p.status != 200 || p.header.Get("Content-Encoding") != "gzip" {
			t.Fatalf("status %d, headers %v", p.status, p.header)
		}
		body := gunzip(t, p)
		for _, want := range []string{
			"市政务服务中心 › 3号综合窗口", "张敏（工号 0312）", "非常不满意", "不满意", "基本满意", "满意", "非常满意",
			"服务态度", "态度热情", "加密保存", `name="channel" value="qr"`, `<label for="comment">`, `<label for="contact">`,
			`for="level-1"`, `maxlength="500"`,
		} {
			if !strings.Contains(body, want) {
				t.Errorf("form lacks %q", want)
			}
		}
		// The stylesheet and script are inline, allowed by hash only.
		if csp := p.header.Get("Content-Security-Policy"); strings.Contains(csp, "unsafe-inline") ||
			strings.Count(csp, "'sha256-") != 2 || !strings.Contains(body, "<style>") || !strings.Contains(body, "<script>") {
			t.Errorf("CSP %q for a page with inline style and script", csp)
		}
		if cc := p.header.Get("Cache-Control"); cc != "private, no-cache" {
			t.Errorf("Cache-Control %q: the back button must find this very form", cc)
		}
		total := len(p.body)
		for _, m := range regexp.MustCompile(`(?:href|src)="(/f/static/[^"]+)"`).FindAllStringSubmatch(body, -1) {
			a := fetch(t, "GET", s.BaseURL+m[1], nil, "Accept-Encoding", "gzip")
			if a.status != 200 {
				t.Fatalf("%s: %d", m[1], a.status)
			}
			total += len(a.body)
		}
		t.Logf("first view: %d bytes transferred (HTML %d)", total, len(p.body))
		if total > FirstViewBudget {
			t.Errorf("first view transfers %d bytes, budget %d", total, FirstViewBudget)
		}
		if p := fetch(t, "GET", s.BaseURL+"/f/ZZZZZZZZ", nil); p.status != 404 || !strings.Contains(p.body, "没有找到") {
			t.Errorf("unknown code: %d %s", p.status, p.body)
		}
	}, withSecret)
}

func TestPlainPostWritesOneRatingAndRefusesForgeries(t *testing.T) {
	testserver.Each(t, func(t *testing.T, s *testserver.Server) {
		h := newHall(t, s)
		formURL := s.BaseURL + "/f/" + h.windowCode
		f := fetch(t, "GET", formURL+"?c=qr", nil)
		v := formValues(f, "2")
		v.Add("tag", "等候时间长")
		v.Set("comment", "排队一个小时")
		v.Set("contact", "13800001111")
		v.Set("dim_attitude", "2")
		v.Set("website", "")

		// A person would never fill the honeypot; nothing is written.
		trap := url.Values{}
		for k, vs := range v {
			trap[k] = vs
		}
		trap.Set("website", "http://spam.example")
		if p := fetch(t, "POST", formURL, trap); p.status != 403 || written(t, s) != [3]int{} {
			t.Fatalf("honeypot: %d, written %v", p.status, written(t, s))
		}

		first := fetch(t, "POST", formURL, v)
		if first.status != 200 || !strings.Contains(first.body, "感谢您的评价") {
			t.Fatalf("submit: %d %s", first.status, first.body)
		}
		caseCode := regexp.MustCompile(`id="case-code">([0-9A-Z]+)<`).FindStringSubmatch(first.body)
		if caseCode == nil || !strings.Contains(first.body, `href="/f/case/`+caseCode[1]+`"`) {
			t.Fatalf("thank-you page has no case number and link: %s", first.body)
		}
		if got := written(t, s); got != [3]int{1, 1, 1} {
			t.Fatalf("after one submit: ratings, cases, request ids = %v", got)
		}
		cs, err := h.cases.ListCases(testserver.KeyCtx(h.officer), &feedbackv1.ListCasesRequest{})
		if err != nil || len(cs.GetCases()) != 1 {
			t.Fatalf("officer's cases: %v %v", err, cs)
		}
		c := cs.GetCases()[0]
		if c.GetTargetId() != h.window || c.GetChannel() != feedbackv1.Channel_CHANNEL_QR || c.GetComment() != "排队一个小时" ||
			len(c.GetTags()) != 1 || c.GetTags()[0] != "等候时间长" {
			t.Errorf("case %+v", c)
		}

		// The same form again (reload, back button, double tap): the first
		// answer, nothing new.
		again := fetch(t, "POST", formURL, v)
		if again.status != 200 || !strings.Contains(again.body, caseCode[1]) || written(t, s) != [3]int{1, 1, 1} {
			t.Fatalf("resubmit: %d, written %v", again.status, written(t, s))
		}
		// The used token with other answers is refused.
		changed := url.Values{}
		for k, vs := range v {
			changed[k] = vs
		}
		changed.Set("level", "1")
		if p := fetch(t, "POST", formURL, changed); p.status != 409 || !strings.Contains(p.body, "已经提交过") || written(t, s) != [3]int{1, 1, 1} {
			t.Fatalf("reused token, other answers: %d, written %v", p.status, written(t, s))
		}

		// A scripted POST without a token, with a forged one, or with the
		// token of another target's form: refused, nothing written.
		fresh := fetch(t, "GET", formURL, nil)
		staffForm := fetch(t, "GET", s.BaseURL+"/f/"+h.staffCode, nil)
		for name, mutate := range map[string]func(url.Values){
			"no token":     func(x url.Values) { x.Del("token") },
			"forged token": func(x url.Values) { x.Set("token", base64.RawURLEncoding.EncodeToString(bytes.Repeat([]byte{1}, 26))) },
			"other form's token": func(x url.Values) {
				x.Set("token", staffForm.hidden("token"))
				x.Set("request_id", staffForm.hidden("request_id"))
			},
			"other request id": func(x url.Values) { x.Set("request_id", "f-mine") },
		} {
			x := formValues(fresh, "5")
			mutate(x)
			p := fetch(t, "POST", formURL, x)
			if p.status != 403 || !strings.Contains(p.body, "重新打开评价页面") || written(t, s) != [3]int{1, 1, 1} {
				t.Errorf("%s: %d, written %v", name, p.status, written(t, s))
			}
		}

		// Bad input comes back as the form, marked, with the same token,
		// and nothing written; the corrected form then goes through.
		bad := formValues(fresh, "")
		bad.Set("comment", strings.Repeat("长", 501))
		p := fetch(t, "POST", formURL, bad)
		if p.status != 400 || !strings.Contains(p.body, "请选择您的总体满意程度") || !strings.Contains(p.body, "意见最多 500 个字") ||
			p.hidden("request_id") != fresh.hidden("request_id") || written(t, s) != [3]int{1, 1, 1} {
			t.Fatalf("bad input: %d, written %v\n%s", p.status, written(t, s), p.body)
		}
		bad.Set("level", "5")
		bad.Set("comment", "好")
		if p := fetch(t, "POST", formURL, bad); p.status != 200 || written(t, s) != [3]int{2, 1, 2} {
			t.Fatalf("corrected: %d, written %v", p.status, written(t, s))
		}
	}, withSecret)
}

func TestPublicCasePageFollowsTheOfficer(t *testing.T) {
	testserver.Each(t, func(t *testing.T, s *testserver.Server) {
		h := newHall(t, s)
		f := fetch(t, "GET", s.BaseURL+"/f/"+h.windowCode, nil)
		v := formValues(f, "1")
		v.Set("comment", "态度很差")
		v.Set("contact", "13900002222")
		thanks := fetch(t, "POST", s.BaseURL+"/f/"+h.windowCode, v)
		code := regexp.MustCompile(`id="case-code">([0-9A-Z]+)<`).FindStringSubmatch(thanks.body)
		if code == nil {
			t.Fatalf("no case number: %s", thanks.body)
		}
		p := fetch(t, "GET", s.BaseURL+"/f/case/"+code[1], nil)
		if p.status != 200 || !strings.Contains(p.body, `id="stage">已受理<`) || !strings.Contains(p.body, "（未超期）") {
			t.Fatalf("new case page: %d %s", p.status, p.body)
		}
		for _, leak := range []string{"态度很差", "13900002222", "3号综合窗口", "市政务服务中心"} {
			if strings.Contains(p.body, leak) {
				t.Errorf("public case page shows %q", leak)
			}
		}
		cs, err := h.cases.ListCases(testserver.KeyCtx(h.officer), &feedbackv1.ListCasesRequest{})
		if err != nil || len(cs.GetCases()) != 1 {
			t.Fatal(err)
		}
		if _, err := h.cases.AcknowledgeCase(testserver.KeyCtx(h.officer), &feedbackv1.AcknowledgeCaseRequest{
			Id: cs.GetCases()[0].GetId(), Note: "已回电"}); err != nil {
			t.Fatal(err)
		}
		p = fetch(t, "GET", s.BaseURL+"/f/case/"+code[1], nil)
		if !strings.Contains(p.body, `id="stage">整改中<`) || strings.Count(p.body, "年") < 2 {
			t.Errorf("acknowledged case page: %s", p.body)
		}
		if p := fetch(t, "GET", s.BaseURL+"/f/case/0000000000", nil); p.status != 404 {
			t.Errorf("unknown case: %d", p.status)
		}
	}, withSecret)
}

func TestPostersAndQRCodesAreForAdminsOnly(t *testing.T) {
	testserver.Each(t, func(t *testing.T, s *testserver.Server) {
		h := newHall(t, s)
		basic := "Basic " + base64.StdEncoding.EncodeToString([]byte("admin:"+s.Keys[auth.Admin]))
		p := fetch(t, "GET", s.BaseURL+"/f/posters/"+h.dept+"?subtree=1", nil, "Authorization", basic)
		if p.status != 200 || strings.Count(p.body, `<section class="poster">`) != 3 ||
			!strings.Contains(p.body, testserver.PublicURL+"/f/"+h.windowCode+"?c=qr") || strings.Count(p.body, "<svg") != 3 {
			t.Fatalf("posters: %d %s", p.status, p.body)
		}
		if p := fetch(t, "GET", s.BaseURL+"/f/posters/"+h.window, nil, "Authorization", basic); strings.Count(p.body, `<section class="poster">`) != 1 {
			t.Errorf("one poster: %d", strings.Count(p.body, `<section class="poster">`))
		}
		if p := fetch(t, "GET", s.BaseURL+"/f/posters/"+h.dept, nil); p.status != 401 || p.header.Get("WWW-Authenticate") == "" {
			t.Errorf("no key: %d %v", p.status, p.header)
		}
		bearer := func(role auth.Role) string { return "Bearer " + s.Keys[role] }
		for _, role := range []auth.Role{auth.Analyst, auth.Kiosk, auth.Inspector} {
			if p := fetch(t, "GET", s.BaseURL+"/f/posters/"+h.dept, nil, "Authorization", bearer(role)); p.status != 403 {
				t.Errorf("%s posters: %d", role, p.status)
			}
			if p := fetch(t, "GET", s.BaseURL+"/v1/targets/"+h.window+"/qr.svg", nil, "Authorization", bearer(role)); p.status != 403 {
				t.Errorf("%s qr.svg: %d", role, p.status)
			}
		}
		if p := fetch(t, "GET", s.BaseURL+"/v1/targets/"+h.window+"/qr.svg", nil, "Authorization", "Bearer "+h.officer); p.status != 403 {
			t.Errorf("officer qr.svg: %d", p.status)
		}
		svg := fetch(t, "GET", s.BaseURL+"/v1/targets/"+h.window+"/qr.svg", nil, "Authorization", bearer(auth.Admin))
		if svg.status != 200 || svg.header.Get("Content-Type") != "image/svg+xml" || !strings.Contains(svg.body, "<svg") {
			t.Errorf("qr.svg: %d %v", svg.status, svg.header)
		}
		png := fetch(t, "GET", s.BaseURL+"/v1/targets/"+h.window+"/qr.png", nil, "Authorization", bearer(auth.Admin))
		if png.status != 200 || png.header.Get("Content-Type") != "image/png" || !strings.HasPrefix(png.body, "\x89PNG") {
			t.Errorf("qr.png: %d %v", png.status, png.header)
		}
		if p := fetch(t, "GET", s.BaseURL+"/v1/targets/nope/qr.svg", nil, "Authorization", bearer(auth.Admin)); p.status != 404 {
			t.Errorf("unknown target: %d", p.status)
		}
		if p := fetch(t, "GET", s.BaseURL+"/v1/targets/"+h.window+"/qr.png", nil); p.status != 401 {
			t.Errorf("anonymous qr.png: %d", p.status)
		}
		// The JSON gateway still owns the rest of /v1/.
		if r := s.Do(t, auth.Admin, "GET", "/v1/feedback/targets/"+h.window, nil); r.Status != http.StatusOK {
			t.Errorf("gateway: %d", r.Status)
		}
	}, withSecret)
}

// Two taps arriving together (the browser shows only the answer to the
// last) both get the thank-you page of the one rating written.
func TestConcurrentDoubleSubmitShowsOneCase(t *testing.T) {
	testserver.Each(t, func(t *testing.T, s *testserver.Server) {
		h := newHall(t, s)
		formURL := s.BaseURL + "/f/" + h.windowCode
		v := formValues(fetch(t, "GET", formURL, nil), "1")
		pages := make(chan page, 2)
		for range 2 {
			go func() { pages <- fetch(t, "POST", formURL, v) }()
		}
		a, b := <-pages, <-pages
		codeOf := func(p page) string {
			m := regexp.MustCompile(`id="case-code">([0-9A-Z]+)<`).FindStringSubmatch(p.body)
			if p.status != 200 || m == nil {
				t.Fatalf("a tap got %d:\n%s", p.status, p.body)
			}
			return m[1]
		}
		if codeOf(a) != codeOf(b) || written(t, s) != [3]int{1, 1, 1} {
			t.Errorf("case numbers %s and %s, written %v", codeOf(a), codeOf(b), written(t, s))
		}
	}, withSecret)
}
