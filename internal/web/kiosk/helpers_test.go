package kiosk_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	quizv1 "github.com/wenming/wenming/gen/go/wenming/quiz/v1"
	"github.com/wenming/wenming/internal/demo"
	"github.com/wenming/wenming/internal/rpc"
	"github.com/wenming/wenming/internal/store/storetest"
	"github.com/wenming/wenming/internal/testserver"
	"github.com/wenming/wenming/internal/web/webtest"
)

// Window sizes of the two kiosk screens we support.
var (
	portrait  = webtest.Window(1080, 1920)
	landscape = webtest.Window(1920, 1080)
)

func withSecret(d *rpc.Deps) { d.Secret = []byte("0123456789abcdef0123456789abcdef") }

// demoServer is a real server with the demo data loaded, as `serve --demo`
// starts, and the demo keys it minted.
func demoServer(t *testing.T) (*testserver.Server, demo.Keys) {
	t.Helper()
	s := testserver.Start(t, storetest.SQLite(t), withSecret)
	keys, err := demo.Load(context.Background(), rpc.Deps{DB: s.DB})
	if err != nil {
		t.Fatal(err)
	}
	return s, keys
}

// kiosk is one browser at a kiosk.
type kiosk struct {
	t    *testing.T
	b    *webtest.Browser
	base string
	tag  string // screenshot name prefix, e.g. "portrait"
}

func newKiosk(t *testing.T, s *testserver.Server, tag string, opts ...webtest.Option) *kiosk {
	opts = append([]webtest.Option{webtest.Timeout(4 * time.Minute)}, opts...)
	return &kiosk{t: t, b: webtest.New(t, opts...), base: s.BaseURL, tag: tag}
}

// shot saves a screenshot of the screen and checks it with axe-core: no
// serious or critical accessibility violation.
func (k *kiosk) shot(name string) {
	k.t.Helper()
	k.b.Screenshot(k.tag + "-" + name)
	for _, v := range k.b.Axe() {
		k.t.Errorf("%s screen: %s", name, v)
	}
}

// js evaluates an expression and stores its result in out (may be nil).
func (k *kiosk) js(expr string, out any) {
	k.t.Helper()
	k.b.Run(chromedp.Evaluate(expr, out))
}

// waitFor polls a JavaScript condition until it is true.
func (k *kiosk) waitFor(cond string, within time.Duration) {
	k.t.Helper()
	deadline := time.Now().Add(within)
	for {
		var ok bool
		if err := chromedp.Run(k.b.Ctx, chromedp.Evaluate("!!("+cond+")", &ok)); err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			var body string
			_ = chromedp.Run(k.b.Ctx, chromedp.Evaluate("document.body.innerText", &body))
			k.t.Fatalf("waited %s for %s; page says:\n%s\nerrors: %v", within, cond, body, k.b.Errors())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (k *kiosk) waitScreen(name string, within time.Duration) {
	k.t.Helper()
	k.waitFor(fmt.Sprintf("document.body.dataset.screen === %q", name), within)
}

func (k *kiosk) text(id string) string {
	var s string
	k.js(fmt.Sprintf("document.getElementById(%q).textContent", id), &s)
	return s
}

func (k *kiosk) click(id string) { k.js(fmt.Sprintf("document.getElementById(%q).click()", id), nil) }

// setUp enters key on the setup screen and waits for the community.
func (k *kiosk) setUp(key, community string) {
	k.t.Helper()
	k.b.Run(chromedp.Navigate(k.base+"/kiosk/setup"), chromedp.WaitVisible("#setup-key", chromedp.ByQuery),
		chromedp.SendKeys("#setup-key", key, chromedp.ByQuery))
	k.js(`document.getElementById('setup-form').requestSubmit()`, nil)
	k.waitFor(fmt.Sprintf("document.getElementById('setup-result').textContent.includes(%q)", community), 10*time.Second)
}

// pickContest waits for the attract screen to show contest id.
func (k *kiosk) pickContest(id string) {
	k.t.Helper()
	shown := fmt.Sprintf("document.getElementById('attract-start').dataset.contest === %q", id)
	k.waitFor("!document.getElementById('attract-start').hidden", 10*time.Second)
	for i := 0; i < 10; i++ {
		var ok bool
		k.js(shown, &ok)
		if ok {
			break
		}
		k.click("attract-next")
	}
	k.waitFor(shown, time.Second)
	k.click("attract-start")
	k.waitScreen("player", 5*time.Second)
}

// enterPlayer types a name and phone number on the player screen.
func (k *kiosk) enterPlayer(name, phone string) {
	k.t.Helper()
	k.b.Run(chromedp.SendKeys("#player-name", name, chromedp.ByQuery))
	for _, d := range phone {
		k.js(fmt.Sprintf(`[...document.querySelectorAll('#keypad button')].find(b => b.textContent === %q).click()`, string(d)), nil)
	}
}

// answerFirst answers the question on screen with its first option (and
// confirms a multiple choice) and waits for the verdict.
func (k *kiosk) answerFirst() {
	k.t.Helper()
	k.js(`document.querySelector('#q-options button').click();
		if (!document.getElementById('q-confirm').hidden) document.getElementById('q-confirm').click();`, nil)
	k.waitFor("!document.getElementById('q-feedback').hidden", 20*time.Second)
}

// attemptOf finds the attempt a player started, by display name.
func attemptOf(t *testing.T, s *testserver.Server, name string) string {
	t.Helper()
	var id string
	if err := s.DB.R.Get(&id, s.DB.R.Rebind(`SELECT id FROM attempts WHERE display_name = ?`), name); err != nil {
		t.Fatalf("attempt of %s: %v", name, err)
	}
	return id
}

func openContest(t *testing.T, s *testserver.Server, key string) string {
	t.Helper()
	list, err := quizv1.NewPlayServiceClient(s.Conn).ListOpenContests(testserver.KeyCtx(key), &quizv1.ListOpenContestsRequest{})
	if err != nil || len(list.GetContests()) == 0 {
		t.Fatalf("open contests: %v %v", list, err)
	}
	return list.GetContests()[0].GetId()
}

func noErrors(t *testing.T, b *webtest.Browser) {
	t.Helper()
	for _, e := range b.Errors() {
		if !strings.Contains(e, "Failed to load resource") && !strings.Contains(e, "ERR_INTERNET_DISCONNECTED") {
			t.Errorf("page error: %s", e)
		}
	}
}
