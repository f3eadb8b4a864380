package feedbackform_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/dom"
	"github.com/chromedp/cdproto/network"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	feedbackv1 "github.com/wenming/wenming/gen/go/wenming/feedback/v1"
	"github.com/wenming/wenming/internal/auth"
	"github.com/wenming/wenming/internal/testserver"
	"github.com/wenming/wenming/internal/web/webtest"
)

// A citizen on a 360×740 phone rates a window badly, goes back and sends
// the form again, double-taps another rating, and follows the case; with
// JavaScript and without.
func TestBrowserRatingFlow(t *testing.T) {
	for _, mode := range []string{"js", "nojs"} {
		t.Run(mode, func(t *testing.T) {
			testserver.Each(t, func(t *testing.T, s *testserver.Server) { ratingFlow(t, s, mode == "js") }, withSecret)
		})
	}
}

func ratingFlow(t *testing.T, s *testserver.Server, js bool) {
	h := newHall(t, s)
	// Without the back-forward cache the back button reloads the form from
	// the HTTP cache: the path every browser without one takes, and the one
	// chromedp can follow (it loses track of a page restored from bfcache).
	opts := []webtest.Option{webtest.Window(360, 740), webtest.Flag("disable-features", "BackForwardCache,ProactivelySwapBrowsingInstance,RenderDocument")}
	if !js {
		opts = append(opts, webtest.NoJavaScript())
	}
	b := webtest.New(t, opts...)
	formURL := s.BaseURL + "/f/" + h.windowCode + "?c=qr"
	axe := func(screen string) {
		t.Helper()
		if !js {
			return // axe-core is a script; the JavaScript run checks the same pages
		}
		if v := b.Axe(); len(v) > 0 {
			t.Errorf("%s: accessibility violations: %v", screen, v)
		}
	}

	// Nothing chosen: the page says what is missing and nothing is sent.
	b.Run(chromedp.Navigate(formURL), chromedp.WaitVisible("#send"))
	b.Screenshot("form")
	axe("form")
	b.Run(chromedp.Click("#send"), chromedp.WaitVisible("#level-error"))
	b.Screenshot("form-missing-level")
	axe("form with an error")
	if got := written(t, s); got != [3]int{} {
		t.Fatalf("an incomplete form wrote %v", got)
	}

	// Level 2, a tag, a comment and a phone, on a freshly opened form.
	var code string
	b.Run(
		chromedp.Navigate(formURL), chromedp.WaitVisible("#send"),
		chromedp.Click(`label[for="level-2"]`),
		chromedp.Click(`//label[normalize-space()="等候时间长"]`, chromedp.BySearch),
		chromedp.Click(`label[for="dim-attitude-2"]`),
		chromedp.SendKeys("#comment", "排队一个多小时，没人管"),
		chromedp.SendKeys("#contact", "13800001111"),
	)
	b.Screenshot("form-filled")
	b.Run(chromedp.Click("#send"), chromedp.WaitVisible("#case-code"), chromedp.Text("#case-code", &code))
	b.Screenshot("thanks")
	axe("thank-you")
	if len(code) != 10 {
		t.Fatalf("case number %q", code)
	}
	if got := written(t, s); got[0] != 1 || got[1] != 1 {
		t.Fatalf("after submit: ratings, cases, request ids = %v", got)
	}
	cs, err := h.cases.ListCases(testserver.KeyCtx(h.officer), &feedbackv1.ListCasesRequest{})
	if err != nil || len(cs.GetCases()) != 1 {
		t.Fatalf("the window's department sees no case: %v %v", err, cs)
	}
	caseID := cs.GetCases()[0].GetId()
	officerView, err := h.cases.GetCase(testserver.KeyCtx(h.officer), &feedbackv1.GetCaseRequest{Id: caseID})
	if err != nil || officerView.GetCase().GetContact() != "13800001111" || officerView.GetCase().GetLevel() != 2 ||
		officerView.GetCase().GetChannel() != feedbackv1.Channel_CHANNEL_QR || officerView.GetCase().GetDepartmentId() != h.dept {
		t.Errorf("officer's view: %v %+v", err, officerView.GetCase())
	}
	analystView, err := h.cases.GetCase(s.Ctx(auth.Analyst), &feedbackv1.GetCaseRequest{Id: caseID})
	if err != nil || analystView.GetCase().GetContact() != "" {
		t.Errorf("analyst's view shows the contact: %v %+v", err, analystView.GetCase())
	}

	// Back, and send again: the same form, so the same answer and nothing
	// new (or, if the browser lost the answers, a refusal; never a second
	// rating).
	b.Run(back(), chromedp.WaitVisible("#send"))
	b.Screenshot("back")
	b.Run(chromedp.Click(`label[for="level-2"]`))
	b.Run(chromedp.Click("#send"))
	var again string
	b.Run(chromedp.WaitVisible("section.done, section.problem", chromedp.ByQuery), chromedp.Text("main", &again))
	b.Screenshot("back-and-resubmit")
	if strings.Contains(again, "感谢") && !strings.Contains(again, code) {
		t.Errorf("resubmitted form shows another case number:\n%s", again)
	}
	if got := written(t, s); got[0] != 1 || got[1] != 1 {
		t.Fatalf("back and resubmit wrote another rating: %v", got)
	}

	// A double tap on a fresh form: one rating.
	b.Run(chromedp.Navigate(formURL), chromedp.WaitVisible("#send"), chromedp.Click(`label[for="level-4"]`))
	b.Run(doubleTap("#send"), chromedp.WaitVisible("section.done", chromedp.ByQuery))
	waitRatings(t, s, 2)

	// The public case page, before and after the officer acknowledges.
	var stage string
	b.Run(chromedp.Navigate(s.BaseURL+"/f/case/"+code), chromedp.Text("#stage", &stage))
	if stage != "已受理" {
		t.Errorf("new case stage %q", stage)
	}
	if _, err := h.cases.AcknowledgeCase(testserver.KeyCtx(h.officer), &feedbackv1.AcknowledgeCaseRequest{Id: caseID, Note: "已回电"}); err != nil {
		t.Fatal(err)
	}
	b.Run(chromedp.Reload(), chromedp.Text("#stage", &stage))
	if stage != "整改中" {
		t.Errorf("acknowledged case stage %q", stage)
	}
	b.Screenshot("case")
	axe("case")

	for _, e := range b.Errors() {
		// Without JavaScript the form with a missing level comes back from
		// the server as a 400 page, which Chromium logs.
		if !js && strings.Contains(e, "status of 400") {
			continue
		}
		t.Errorf("browser error: %v", e)
	}
	b.Run(chromedp.Navigate(s.BaseURL+"/f/ZZZZZZZZ"), chromedp.WaitVisible("#problem"))
	b.Screenshot("not-found")
	axe("not found")
}

// back is the browser's back button. chromedp.NavigateBack waits for a
// load event, which a page restored from the back-forward cache never
// fires.
func back() chromedp.Action {
	return chromedp.ActionFunc(func(ctx context.Context) error {
		cur, entries, err := cdppage.GetNavigationHistory().Do(ctx)
		if err != nil {
			return err
		}
		if cur < 1 {
			return errors.New("no page to go back to")
		}
		return cdppage.NavigateToHistoryEntry(entries[cur-1].ID).Do(ctx)
	})
}

// doubleTap taps the element twice at once, by coordinates, so the second
// tap lands even while the first one's page is loading.
func doubleTap(sel string) chromedp.Action {
	var nodes []*cdp.Node
	return chromedp.Tasks{
		chromedp.ScrollIntoView(sel, chromedp.ByQuery),
		chromedp.Nodes(sel, &nodes, chromedp.ByQuery),
		chromedp.ActionFunc(func(ctx context.Context) error {
			quads, err := dom.GetContentQuads().WithNodeID(nodes[0].NodeID).Do(ctx)
			if err != nil || len(quads) == 0 {
				return fmt.Errorf("no box for %s: %v", sel, err)
			}
			q := quads[0]
			x, y := (q[0]+q[4])/2, (q[1]+q[5])/2
			for range 2 {
				if err := chromedp.MouseClickXY(x, y).Do(ctx); err != nil {
					return err
				}
			}
			return nil
		}),
	}
}

// setAuthorization makes the tab send an Authorization header, as an
// admin's browser does after its password prompt.
func setAuthorization(v string) chromedp.Action {
	return network.SetExtraHTTPHeaders(network.Headers{"Authorization": v})
}

func waitRatings(t *testing.T, s *testserver.Server, want int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		got := testserver.Count(t, s.DB, "feedback_ratings")
		if got == want {
			return
		}
		if got > want || time.Now().After(deadline) {
			t.Fatalf("ratings %d, want %d", got, want)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Posters print one A5 sheet per target of a department, QR codes inline.
func TestBrowserPosters(t *testing.T) {
	testserver.Each(t, func(t *testing.T, s *testserver.Server) {
		h := newHall(t, s)
		b := webtest.New(t, webtest.Window(800, 1000))
		var n int
		b.Run(
			setAuthorization("Bearer "+s.Keys[auth.Admin]),
			chromedp.Navigate(s.BaseURL+"/f/posters/"+h.dept+"?subtree=1"),
			chromedp.WaitVisible(".poster svg"),
			chromedp.Evaluate(`document.querySelectorAll(".poster svg path").length`, &n),
		)
		if n != 3 {
			t.Errorf("%d QR codes, want 3", n)
		}
		b.Screenshot("posters")
		if v := b.Axe(); len(v) > 0 {
			t.Errorf("posters: accessibility violations: %v", v)
		}
		if errs := b.Errors(); len(errs) > 0 {
			t.Errorf("browser errors: %v", errs)
		}
		if strings.TrimSpace(h.windowCode) == "" {
			t.Fatal("no window code")
		}
	}, withSecret)
}
