package console_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	feedbackv1 "github.com/wenming/wenming/gen/go/wenming/feedback/v1"
	"github.com/wenming/wenming/internal/testserver"
)

// openCase finds an OPEN case of the demo officer's department.
func openCase(t *testing.T, s demoServer) *feedbackv1.Case {
	t.Helper()
	resp, err := feedbackv1.NewCaseServiceClient(s.Conn).ListCases(testserver.KeyCtx(s.keys.Officer),
		&feedbackv1.ListCasesRequest{State: feedbackv1.CaseState_CASE_STATE_OPEN, PageSize: 1})
	if err != nil || len(resp.GetCases()) == 0 {
		t.Fatalf("no open demo case: %v", err)
	}
	return resp.GetCases()[0]
}

func TestSignInGivesAStrictCookieNotTheKey(t *testing.T) {
	t.Parallel()
	withDemo(t, func(t *testing.T, s demoServer) {
		c := newClient(t, s.BaseURL)
		if r := c.do("GET", "/console/cases", nil); r.status != http.StatusSeeOther || !strings.HasPrefix(r.location, "/console/login?") {
			t.Fatalf("signed-out workbench: %d %q", r.status, r.location)
		}
		bad := c.signIn("wm_not_a_real_key")
		if bad.status != http.StatusUnauthorized || !strings.Contains(bad.body, "密钥无效") || strings.Contains(bad.body, "wm_not_a_real_key") {
			t.Errorf("bad key: %d\n%s", bad.status, bad.body)
		}
		r := c.signIn(s.keys.Officer)
		if r.status != http.StatusSeeOther || r.location != "/console/cases" {
			t.Fatalf("sign-in: %d %q", r.status, r.location)
		}
		set := r.header.Get("Set-Cookie")
		for _, want := range []string{"wm_console=wms_", "Path=/console", "HttpOnly", "SameSite=Strict"} {
			if !strings.Contains(set, want) {
				t.Errorf("cookie %q lacks %q", set, want)
			}
		}
		if strings.Contains(set, s.keys.Officer) || strings.Contains(r.location, s.keys.Officer) {
			t.Errorf("the key leaked into the cookie or redirect: %q %q", set, r.location)
		}
		page := c.do("GET", "/console/cases", nil)
		if page.status != 200 || !strings.Contains(page.body, "案件工作台") || strings.Contains(page.body, s.keys.Officer) {
			t.Errorf("workbench: %d", page.status)
		}
		if strings.Contains(s.Logs(), s.keys.Officer) {
			t.Error("the key appears in the server's log")
		}
		// A sign-in redirect never leaves the console.
		r = newClient(t, s.BaseURL).do("POST", "/console/login", url.Values{"key": {s.keys.Officer}, "next": {"//evil.example/"}})
		if r.location != "/console/" {
			t.Errorf("next=//evil.example/ redirected to %q", r.location)
		}
	})
}

func TestWritesNeedTheCSRFTokenAndALiveSession(t *testing.T) {
	t.Parallel()
	withDemo(t, func(t *testing.T, s demoServer) {
		c := newClient(t, s.BaseURL)
		c.signIn(s.keys.Officer)
		kase := openCase(t, s)
		path := "/console/cases/" + kase.GetId() + "/acknowledge"
		stillOpen := func(when string) {
			t.Helper()
			got, err := feedbackv1.NewCaseServiceClient(s.Conn).GetCase(testserver.KeyCtx(s.keys.Officer), &feedbackv1.GetCaseRequest{Id: kase.GetId()})
			if err != nil || got.GetCase().GetState() != feedbackv1.CaseState_CASE_STATE_OPEN {
				t.Errorf("%s: case is %v (%v)", when, got.GetCase().GetState(), err)
			}
		}
		for _, form := range []url.Values{
			{"note": {"已电话联系"}},
			{"note": {"已电话联系"}, "csrf": {"forged"}},
		} {
			if r := c.do("POST", path, form); r.status != http.StatusForbidden || !strings.Contains(r.body, "CSRF_TOKEN_INVALID") {
				t.Errorf("POST with csrf %q: %d", form.Get("csrf"), r.status)
			}
		}
		stillOpen("after POSTs without a valid token")
		if r := c.do("POST", "/console/logout", url.Values{}); r.status != http.StatusForbidden {
			t.Errorf("sign-out without the token: %d", r.status)
		}
		token := c.csrf() // the session is still alive
		// Keep a copy of the cookie, as an attacker who had it would.
		u, _ := url.Parse(s.BaseURL + "/console/")
		old := newClient(t, s.BaseURL)
		old.http.Jar.SetCookies(u, c.http.Jar.Cookies(u))
		if r := c.do("POST", "/console/logout", url.Values{"csrf": {token}}); r.status != http.StatusSeeOther || r.location != "/console/login" {
			t.Fatalf("sign-out: %d %q", r.status, r.location)
		}
		if len(c.http.Jar.Cookies(u)) != 0 {
			t.Error("sign-out left the cookie in the browser")
		}
		// After sign-out the old cookie and token do nothing.
		old2 := newClient(t, s.BaseURL)
		old2.http.Jar.SetCookies(u, old.http.Jar.Cookies(u))
		if r := old.do("GET", "/console/cases", nil); r.status != http.StatusSeeOther || !strings.Contains(r.location, "m=expired") {
			t.Errorf("GET after sign-out: %d %q", r.status, r.location)
		}
		if r := old2.do("POST", path, url.Values{"note": {"已电话联系"}, "csrf": {token}}); r.status != http.StatusUnauthorized {
			t.Errorf("POST after sign-out: %d", r.status)
		}
		stillOpen("after sign-out")
	})
}

// A session token is only good for the API as its key's role; the token
// from a signed-out console is refused by the API too.
func TestSignOutEndsTheSessionForTheAPI(t *testing.T) {
	t.Parallel()
	withDemo(t, func(t *testing.T, s demoServer) {
		c := newClient(t, s.BaseURL)
		r := c.signIn(s.keys.Analyst)
		token := ""
		for _, ck := range (&http.Response{Header: r.header}).Cookies() {
			token = ck.Value
		}
		ctx := testserver.KeyCtx(token)
		cases := feedbackv1.NewCaseServiceClient(s.Conn)
		if _, err := cases.ListCases(ctx, &feedbackv1.ListCasesRequest{PageSize: 1}); err != nil {
			t.Fatalf("analyst session reading cases: %v", err)
		}
		c.do("POST", "/console/logout", url.Values{"csrf": {c.csrf()}})
		if _, err := cases.ListCases(ctx, &feedbackv1.ListCasesRequest{PageSize: 1}); status.Code(err) != codes.Unauthenticated {
			t.Errorf("signed-out token: %v", err)
		}
	})
}
