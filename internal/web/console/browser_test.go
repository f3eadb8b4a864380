package console_test

import (
	"strings"
	"testing"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	accountv1 "github.com/wenming/wenming/gen/go/wenming/account/v1"
	feedbackv1 "github.com/wenming/wenming/gen/go/wenming/feedback/v1"
	"github.com/wenming/wenming/internal/testserver"
	"github.com/wenming/wenming/internal/web/webtest"
)

// signIn fills in the sign-in form the way a person does.
func signIn(b *webtest.Browser, base, key, next string) {
	b.Run(
		chromedp.Navigate(base+next),
		chromedp.WaitVisible("#key", chromedp.ByID),
		chromedp.SendKeys("#key", key, chromedp.ByID),
		chromedp.Submit("#key", chromedp.ByID),
		chromedp.WaitVisible(".who", chromedp.ByQuery),
	)
}

func noErrors(t *testing.T, b *webtest.Browser) {
	t.Helper()
	if errs := b.Errors(); len(errs) > 0 {
		t.Errorf("page errors: %v", errs)
	}
}

// The demo officer works a case from open to closed with the buttons; the
// API shows each step with the officer as the actor.
func TestOfficerWorksADemoCaseThroughTheButtons(t *testing.T) {
	t.Parallel()
	withDemo(t, func(t *testing.T, s demoServer) {
		kase := openCase(t, s)
		b := webtest.New(t, webtest.Window(1440, 900))
		b.Run(chromedp.Navigate(s.BaseURL+"/console/login"), chromedp.WaitVisible("#key", chromedp.ByID))
		shot(t, b, "login")
		signIn(b, s.BaseURL, s.keys.Officer, "/console/cases")
		var rows int
		b.Run(chromedp.WaitVisible("#cases", chromedp.ByID),
			chromedp.Evaluate(`document.querySelectorAll("#cases tbody tr").length`, &rows))
		if rows == 0 {
			t.Fatal("the workbench lists no cases")
		}
		shot(t, b, "workbench")

		page := s.BaseURL + "/console/cases/" + kase.GetId()
		var contact string
		b.Run(chromedp.Navigate(page), chromedp.WaitVisible("#do-acknowledge", chromedp.ByID),
			chromedp.Evaluate(`(document.querySelector(".contact")||{}).textContent||""`, &contact))
		if kase.GetContact() == "" && contact != "" || contact == "" && caseHasContact(t, s, kase.GetId()) {
			t.Errorf("officer sees contact %q", contact)
		}
		if n := count(b, "#do-close, #do-reopen, #do-accept-appeal"); n != 0 {
			t.Errorf("an OPEN case offers %d actions its state does not allow", n)
		}
		shot(t, b, "case-open")
		b.Run(
			chromedp.SendKeys("#ack-note", "已电话联系评价人，约定整改。", chromedp.ByID),
			chromedp.Click("#do-acknowledge", chromedp.ByID),
			chromedp.WaitVisible("#do-close", chromedp.ByID),
			chromedp.SendKeys("#rect-note", "已对窗口人员进行培训。", chromedp.ByID),
			chromedp.Click("#do-rectify", chromedp.ByID),
			chromedp.WaitNotPresent("#do-rectify", chromedp.ByID),
			chromedp.Click(`input[value="VERDICT_SATISFIED"]`, chromedp.ByQuery),
			chromedp.SendKeys("#close-note", "回访满意。", chromedp.ByID),
			chromedp.Click("#do-close", chromedp.ByID),
			chromedp.WaitVisible("#do-reopen", chromedp.ByID),
		)
		shot(t, b, "case-closed")
		noErrors(t, b)

		got, err := feedbackv1.NewCaseServiceClient(s.Conn).GetCase(testserver.KeyCtx(s.keys.Admin), &feedbackv1.GetCaseRequest{Id: kase.GetId()})
		if err != nil {
			t.Fatal(err)
		}
		me, err := accountv1.NewSessionServiceClient(s.Conn).GetCaller(testserver.KeyCtx(s.keys.Officer), &accountv1.GetCallerRequest{})
		if err != nil {
			t.Fatal(err)
		}
		var steps []string
		for _, e := range got.GetCase().GetEvents() {
			if e.GetAction() == "OPEN" {
				continue
			}
			steps = append(steps, e.GetAction())
			if e.GetActorKeyId() != me.GetCaller().GetKeyId() {
				t.Errorf("%s by %s, want the officer %s", e.GetAction(), e.GetActorKeyId(), me.GetCaller().GetKeyId())
			}
		}
		if strings.Join(steps, ",") != "ACKNOWLEDGE,RECTIFY,CLOSE" || got.GetCase().GetVerdict() != feedbackv1.Verdict_VERDICT_SATISFIED {
			t.Errorf("history %v, verdict %v", steps, got.GetCase().GetVerdict())
		}

		// A refused action shows the server's reason: close it again from
		// a stale page.
		var alert string
		b.Run(chromedp.Evaluate(`(function(){var f=document.createElement("form");f.method="post";
			f.action=location.pathname+"/close";
			[["csrf",document.querySelector("input[name=csrf]").value],["verdict","VERDICT_SATISFIED"]].forEach(function(p){
			var i=document.createElement("input");i.type="hidden";i.name=p[0];i.value=p[1];f.appendChild(i);});
			document.body.appendChild(f);f.submit();return true;})()`, nil),
			chromedp.WaitVisible(".alert", chromedp.ByQuery),
			chromedp.Text(".alert", &alert, chromedp.ByQuery))
		if !strings.Contains(alert, "CLOSED") || !strings.Contains(alert, "操作未完成") {
			t.Errorf("refusal shows %q", alert)
		}
		shot(t, b, "case-refused")
	})
}

func caseHasContact(t *testing.T, s demoServer, id string) bool {
	got, err := feedbackv1.NewCaseServiceClient(s.Conn).GetCase(testserver.KeyCtx(s.keys.Officer), &feedbackv1.GetCaseRequest{Id: id})
	if err != nil {
		t.Fatal(err)
	}
	return got.GetCase().GetContact() != ""
}

func count(b *webtest.Browser, sel string) int {
	var n int
	b.Run(chromedp.Evaluate(`document.querySelectorAll(`+"`"+sel+"`"+`).length`, &n))
	return n
}

// An analyst reads cases but sees no contact and no button, and a POST
// forged from the analyst's own session (with its valid CSRF token) is
// refused by the API's access rule.
func TestAnalystSeesNoContactNoButtonsAndCannotForgeAWrite(t *testing.T) {
	t.Parallel()
	withDemo(t, func(t *testing.T, s demoServer) {
		kase := openCase(t, s)
		if !caseHasContact(t, s, kase.GetId()) {
			// Pick a case that has a contact, so hiding it means something.
			resp, err := feedbackv1.NewCaseServiceClient(s.Conn).ListCases(testserver.KeyCtx(s.keys.Officer), &feedbackv1.ListCasesRequest{PageSize: 200})
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range resp.GetCases() {
				if c.GetContact() != "" && c.GetState() == feedbackv1.CaseState_CASE_STATE_OPEN {
					kase = c
				}
			}
		}
		b := webtest.New(t, webtest.Window(1440, 900))
		signIn(b, s.BaseURL, s.keys.Analyst, "/console/cases/"+kase.GetId())
		b.Run(chromedp.WaitVisible(".timeline", chromedp.ByQuery))
		if n := count(b, ".contact, form.action, #do-acknowledge"); n != 0 {
			t.Errorf("analyst page has %d contact fields or action forms", n)
		}
		shot(t, b, "case-analyst")
		noErrors(t, b) // the refusals below are logged by the browser as failed loads
		var status int
		b.Run(chromedp.Evaluate(`fetch(location.pathname+"/acknowledge", {method:"POST",
			body:new URLSearchParams({csrf:document.querySelector("input[name=csrf]").value, note:"伪造"})}).then(function(r){return r.status})`,
			&status, func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }))
		if status != 403 {
			t.Errorf("forged acknowledge from the analyst's session: %d", status)
		}
		got, err := feedbackv1.NewCaseServiceClient(s.Conn).GetCase(testserver.KeyCtx(s.keys.Admin), &feedbackv1.GetCaseRequest{Id: kase.GetId()})
		if err != nil || got.GetCase().GetState() != feedbackv1.CaseState_CASE_STATE_OPEN {
			t.Errorf("case after the forged POST: %v %v", got.GetCase().GetState(), err)
		}
		b.Run(chromedp.Navigate(s.BaseURL+"/console/cases"), chromedp.WaitVisible("#cases", chromedp.ByID))
		shot(t, b, "cases-analyst")
		b.Run(chromedp.Navigate(s.BaseURL+"/console/cases/01a229cf-0000-7000-8000-000000000000"), chromedp.WaitVisible("h1", chromedp.ByQuery))
		shot(t, b, "problem")
	})
}
