package kiosk_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/timestamppb"

	quizv1 "github.com/wenming/wenming/gen/go/wenming/quiz/v1"
	"github.com/wenming/wenming/internal/auth"
	"github.com/wenming/wenming/internal/demo"
	"github.com/wenming/wenming/internal/testserver"
	"github.com/wenming/wenming/internal/web/webtest"
)

var orientations = []struct {
	tag    string
	window webtest.Option
}{{"portrait", portrait}, {"landscape", landscape}}

// openKiosk sets up a kiosk with the demo key and waits for the attract
// screen.
func openKiosk(t *testing.T, s *testserver.Server, key, tag string, window webtest.Option, query string) *kiosk {
	t.Helper()
	k := newKiosk(t, s, tag, window)
	k.setUp(key, demo.KioskCommunity)
	k.b.Run(chromedp.Navigate(s.BaseURL + "/kiosk" + query))
	k.waitScreen("attract", 10*time.Second)
	return k
}

// timedContest publishes a two-question contest with the shortest time
// limit the API allows.
func timedContest(t *testing.T, s *testserver.Server) string {
	t.Helper()
	admin := quizv1.NewContestServiceClient(s.Conn)
	ctx := s.Ctx(auth.Admin)
	now := time.Now()
	c, err := admin.CreateContest(ctx, &quizv1.CreateContestRequest{Contest: &quizv1.ContestSettings{
		Title: "限时小测验", Organiser: "测试", StartTime: timestamppb.New(now.Add(-time.Minute)),
		EndTime: timestamppb.New(now.Add(time.Hour)), TimeLimitSeconds: 10, AttemptsAllowed: 1,
		Paper: &quizv1.PaperRule{Rule: &quizv1.PaperRule_Random{Random: &quizv1.RandomPaper{
			Draws: []*quizv1.DrawRule{{Category: "公共秩序", Count: 2}}}}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := admin.PublishContest(ctx, &quizv1.PublishContestRequest{Id: c.GetContest().GetId()}); err != nil {
		t.Fatal(err)
	}
	return c.GetContest().GetId()
}

// A timed question runs out: the attempt ends as the API says (expired,
// scored on the one answer given in time) and the screen agrees.
func TestKioskTimeRunsOut(t *testing.T) {
	s, keys := demoServer(t)
	contest := timedContest(t, s)
	for _, o := range orientations {
		t.Run(o.tag, func(t *testing.T) {
			t.Parallel() // mostly waiting for the clock
			name := "计时" + o.tag
			k := openKiosk(t, s, keys.Kiosk, o.tag, o.window, "")
			k.pickContest(contest)
			k.enterPlayer(name, map[string]string{"portrait": "13700000001", "landscape": "13700000002"}[o.tag])
			k.click("player-go")
			k.waitScreen("question", 20*time.Second)
			k.answerFirst()
			k.click("q-next")
			k.waitFor("document.getElementById('q-progress').textContent.startsWith('第 2 题')", 5*time.Second)
			k.waitScreen("result", 30*time.Second)
			k.waitFor("document.getElementById('r-score').textContent !== ''", 20*time.Second)
			k.shot("timed-out")

			res, err := quizv1.NewPlayServiceClient(s.Conn).GetAttemptResult(testserver.KeyCtx(keys.Kiosk),
				&quizv1.GetAttemptResultRequest{AttemptId: attemptOf(t, s, name)})
			if err != nil {
				t.Fatal(err)
			}
			a := res.GetAttempt()
			if a.GetState() != quizv1.AttemptState_ATTEMPT_STATE_EXPIRED || a.GetAnsweredCount() != 1 {
				t.Errorf("API: state %v, %d answered; want EXPIRED with the one answer given in time", a.GetState(), a.GetAnsweredCount())
			}
			if got := k.text("r-title"); got != "时间到，答题结束" {
				t.Errorf("title %q", got)
			}
			if got, want := k.text("r-score"), num(a.GetScore())+" 分（满分 20）"; got != want {
				t.Errorf("score on screen %q, API %q", got, want)
			}
			if got := k.text("r-note"); !strings.Contains(got, "不计分") || !strings.Contains(got, "记录了您 1 道题") {
				t.Errorf("note %q", got)
			}
			if got := k.text("r-left"); got != "次数已用完" {
				t.Errorf("attempts left %q; the contest allows one", got)
			}
			noErrors(t, k.b)
		})
	}
}

// A player who used every attempt is told so in plain Chinese.
func TestKioskExplainsTheAttemptLimit(t *testing.T) {
	s, keys := demoServer(t)
	contest := openContest(t, s, keys.Kiosk)
	play := quizv1.NewPlayServiceClient(s.Conn)
	const phone = "13600000003"
	for i := 0; i < 3; i++ {
		if _, err := play.StartAttempt(testserver.KeyCtx(keys.Kiosk), &quizv1.StartAttemptRequest{
			ContestId: contest, DisplayName: "常客", ParticipantIdentifier: phone}); err != nil {
			t.Fatal(err)
		}
	}
	for _, o := range orientations {
		t.Run(o.tag, func(t *testing.T) {
			k := openKiosk(t, s, keys.Kiosk, o.tag, o.window, "")
			k.pickContest(contest)
			k.enterPlayer("常客", phone)
			k.click("player-go")
			k.waitScreen("message", 20*time.Second)
			k.shot("attempt-limit")
			if got := k.text("m-title"); got != "您的答题次数已经用完了" {
				t.Errorf("title %q", got)
			}
			if got := k.text("m-text"); !strings.Contains(got, "每人最多可以参加3次") {
				t.Errorf("text %q", got)
			}
			noErrors(t, k.b)
		})
	}
}

// Idle on the player screen: the kiosk goes back to the attract screen
// and nothing of the player is left in the page or its storage.
func TestKioskIdleTimeoutForgetsThePlayer(t *testing.T) {
	s, keys := demoServer(t)
	contest := openContest(t, s, keys.Kiosk)
	for _, o := range orientations {
		t.Run(o.tag, func(t *testing.T) {
			t.Parallel() // mostly waiting for the timeout
			k := openKiosk(t, s, keys.Kiosk, o.tag, o.window, "?idle=4")
			var before int
			k.js("history.length", &before)
			k.pickContest(contest)
			k.enterPlayer("赵淑芬", "13512345678")
			k.waitFor("!document.getElementById('idle').hidden", 10*time.Second)
			k.shot("idle-warning")
			k.waitScreen("attract", 10*time.Second)
			assertForgotten(t, k, "赵淑芬", "13512345678")
			var after int
			k.js("history.length", &after)
			if after != before {
				t.Errorf("history grew from %d to %d entries", before, after)
			}
			noErrors(t, k.b)
		})
	}
}

// A kiosk key of another community cannot pick up the first kiosk's
// attempt: not read it, not answer it, not submit it.
func TestAnotherCommunitysKioskCannotResumeAnAttempt(t *testing.T) {
	s, keys := demoServer(t)
	contest := openContest(t, s, keys.Kiosk)
	play := quizv1.NewPlayServiceClient(s.Conn)
	started, err := play.StartAttempt(testserver.KeyCtx(keys.Kiosk), &quizv1.StartAttemptRequest{
		ContestId: contest, DisplayName: "钱大妈", ParticipantIdentifier: "13400000004"})
	if err != nil {
		t.Fatal(err)
	}
	id := started.GetAttempt().GetId()
	other := testserver.KeyCtx(s.NewKey(t, auth.Kiosk, "东湖社区"))
	_, getErr := play.GetAttempt(other, &quizv1.GetAttemptRequest{AttemptId: id})
	q := started.GetQuestions()[0]
	_, ansErr := play.AnswerQuestion(other, &quizv1.AnswerQuestionRequest{AttemptId: id, Index: q.GetIndex(),
		ChosenKeys: []string{q.GetOptions()[0].GetKey()}})
	_, subErr := play.SubmitAttempt(other, &quizv1.SubmitAttemptRequest{AttemptId: id})
	for what, err := range map[string]error{"GetAttempt": getErr, "AnswerQuestion": ansErr, "SubmitAttempt": subErr} {
		if c := status.Code(err); c != codes.PermissionDenied && c != codes.NotFound {
			t.Errorf("%s by another community's kiosk: %v, want PERMISSION_DENIED or NOT_FOUND", what, err)
		}
	}
	mine, err := play.GetAttempt(testserver.KeyCtx(keys.Kiosk), &quizv1.GetAttemptRequest{AttemptId: id})
	if err != nil || mine.GetAttempt().GetAnsweredCount() != 0 || mine.GetAttempt().GetState() != quizv1.AttemptState_ATTEMPT_STATE_IN_PROGRESS {
		t.Errorf("the first kiosk's attempt changed: %v %v", mine, err)
	}
}
