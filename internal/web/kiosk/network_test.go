package kiosk_test

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	quizv1 "github.com/wenming/wenming/gen/go/wenming/quiz/v1"
	"github.com/wenming/wenming/internal/testserver"
)

// The network drops in the middle of an answer: the server has recorded
// it but the reply is lost, and the kiosk is offline for a while. The
// kiosk says it is reconnecting, retries with the same request_id once the
// network is back, and the server counts the answer once.
func TestKioskRetriesAnAnswerThroughAnOutage(t *testing.T) {
	s, keys := demoServer(t)
	contest := openContest(t, s, keys.Kiosk)
	for i, o := range orientations {
		t.Run(o.tag, func(t *testing.T) {
			name := "断网" + o.tag
			k := openKiosk(t, s, keys.Kiosk, o.tag, o.window, "")
			k.pickContest(contest)
			k.enterPlayer(name, []string{"13300000005", "13300000006"}[i])
			k.click("player-go")
			k.waitScreen("question", 20*time.Second)

			// Drop the first answer's reply after the server sent it, and
			// go offline at that moment.
			var once sync.Once
			ctx := k.b.Ctx
			chromedp.ListenTarget(ctx, func(ev any) {
				e, ok := ev.(*fetch.EventRequestPaused)
				if !ok {
					return
				}
				go func() {
					ex := cdp.WithExecutor(ctx, chromedp.FromContext(ctx).Target)
					first := false
					once.Do(func() { first = true })
					if first {
						_ = network.EmulateNetworkConditions(true, 0, -1, -1).Do(ex)
						_ = fetch.FailRequest(e.RequestID, network.ErrorReasonConnectionReset).Do(ex)
						return
					}
					_ = fetch.ContinueRequest(e.RequestID).Do(ex)
				}()
			})
			k.b.Run(network.Enable(), fetch.Enable().WithPatterns([]*fetch.RequestPattern{
				{URLPattern: "*/answers", RequestStage: fetch.RequestStageResponse}}))
			k.js(`document.querySelector('#q-options button').click();
				if (!document.getElementById('q-confirm').hidden) document.getElementById('q-confirm').click();`, nil)
			k.waitFor("!document.getElementById('net').hidden", 20*time.Second)
			k.shot("reconnecting")
			id := attemptOf(t, s, name)
			play := quizv1.NewPlayServiceClient(s.Conn)
			during, err := play.GetAttempt(testserver.KeyCtx(keys.Kiosk), &quizv1.GetAttemptRequest{AttemptId: id})
			if err != nil || during.GetAttempt().GetAnsweredCount() != 1 {
				t.Fatalf("during the outage the server should hold the answer whose reply was lost: %v %v", during.GetAttempt(), err)
			}

			k.b.Run(network.EmulateNetworkConditions(false, 0, -1, -1))
			k.waitFor("!document.getElementById('q-feedback').hidden", 30*time.Second)
			k.waitFor("document.getElementById('net').hidden", 5*time.Second)
			after, err := play.GetAttempt(testserver.KeyCtx(keys.Kiosk), &quizv1.GetAttemptRequest{AttemptId: id})
			if err != nil {
				t.Fatal(err)
			}
			if n := after.GetAttempt().GetAnsweredCount(); n != 1 || len(after.GetAnswers()) != 1 {
				t.Errorf("answered %d (%d results) after the retry, want exactly 1", n, len(after.GetAnswers()))
			}
			r := after.GetAnswers()[0]
			want := "✘ 回答错误"
			if r.GetCorrect() {
				want = "✔ 回答正确！得" + num(r.GetPointsEarned()) + "分"
			} else if r.GetPointsEarned() > 0 {
				want = "部分正确，得" + num(r.GetPointsEarned()) + "分"
			}
			if got := k.text("q-verdict"); got != want {
				t.Errorf("verdict on screen %q, server recorded %q", got, want)
			}
			noErrors(t, k.b)
		})
	}
}

// The deadline passes while the kiosk is offline in the middle of an
// answer: once the network is back the player sees what the server
// recorded — the answer given in time, not the one stuck in the outage.
func TestKioskShowsWhatWasRecordedWhenTheDeadlinePassedOffline(t *testing.T) {
	s, keys := demoServer(t)
	contest := timedContest(t, s)
	k := openKiosk(t, s, keys.Kiosk, "portrait", portrait, "")
	k.pickContest(contest)
	k.enterPlayer("停电", "13300000007")
	k.click("player-go")
	k.waitScreen("question", 20*time.Second)
	k.answerFirst()
	k.click("q-next")
	k.waitFor("document.getElementById('q-progress').textContent.startsWith('第 2 题')", 5*time.Second)
	k.b.Run(network.Enable(), network.EmulateNetworkConditions(true, 0, -1, -1))
	k.js(`document.querySelector('#q-options button').click();
		if (!document.getElementById('q-confirm').hidden) document.getElementById('q-confirm').click();`, nil)
	k.waitFor("!document.getElementById('net').hidden", 10*time.Second)
	id := attemptOf(t, s, "停电")
	play := quizv1.NewPlayServiceClient(s.Conn)
	a, err := play.GetAttempt(testserver.KeyCtx(keys.Kiosk), &quizv1.GetAttemptRequest{AttemptId: id})
	if err != nil {
		t.Fatal(err)
	}
	// Stay offline until the server's deadline has passed.
	deadline := a.GetAttempt().GetDeadline().AsTime()
	for time.Now().Before(deadline.Add(500 * time.Millisecond)) {
		time.Sleep(100 * time.Millisecond)
	}
	k.b.Run(network.EmulateNetworkConditions(false, 0, -1, -1))
	k.waitScreen("result", 30*time.Second)
	k.waitFor("document.getElementById('r-score').textContent !== ''", 30*time.Second)
	k.shot("deadline-offline")
	res, err := play.GetAttemptResult(testserver.KeyCtx(keys.Kiosk), &quizv1.GetAttemptResultRequest{AttemptId: id})
	if err != nil {
		t.Fatal(err)
	}
	if got := res.GetAttempt(); got.GetState() != quizv1.AttemptState_ATTEMPT_STATE_EXPIRED || got.GetAnsweredCount() != 1 {
		t.Errorf("API: %v with %d answered, want EXPIRED with the one answer given in time", got.GetState(), got.GetAnsweredCount())
	}
	if got, want := k.text("r-score"), num(res.GetAttempt().GetScore())+" 分（满分 20）"; got != want {
		t.Errorf("score on screen %q, API %q", got, want)
	}
	if got := k.text("r-note"); !strings.Contains(got, "记录了您 1 道题") {
		t.Errorf("note %q does not say what was recorded", got)
	}
	noErrors(t, k.b)
}
