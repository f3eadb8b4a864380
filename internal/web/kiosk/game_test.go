package kiosk_test

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	quizv1 "github.com/wenming/wenming/gen/go/wenming/quiz/v1"
	"github.com/wenming/wenming/internal/demo"
	"github.com/wenming/wenming/internal/testserver"
	"github.com/wenming/wenming/internal/web/webtest"
)

// A whole demo game at a portrait and a landscape kiosk: the result screen
// agrees with GetAttemptResult and the leaderboard, and no response the
// page received carried a question's answer key or explanation before the
// page had sent its answer to that question.
func TestKioskPlaysAWholeDemoGame(t *testing.T) {
	s, keys := demoServer(t)
	contest := openContest(t, s, keys.Kiosk)
	for _, tc := range []struct {
		tag         string
		window      webtest.Option
		name, phone string
	}{
		{"portrait", portrait, "王秀英", "13800000011"},
		{"landscape", landscape, "李建国", "13900000022"},
	} {
		t.Run(tc.tag, func(t *testing.T) {
			k := newKiosk(t, s, tc.tag, tc.window)
			rec := record(t, k)
			k.b.Run(chromedp.Navigate(s.BaseURL + "/kiosk"))
			k.waitScreen("setup", 10*time.Second)
			k.shot("setup-empty")
			k.setUp(keys.Kiosk, demo.KioskCommunity)
			k.shot("setup")
			k.click("setup-go")
			k.waitScreen("attract", 10*time.Second)
			k.waitFor("document.getElementById('attract-card').textContent.includes('知识竞赛')", 10*time.Second)
			var history0 int
			k.js("history.length", &history0)
			k.shot("attract")

			k.pickContest(contest)
			k.enterPlayer(tc.name, tc.phone)
			k.shot("player")
			k.click("player-go")
			k.waitScreen("question", 20*time.Second)
			k.shot("question")
			total := questionCount(t, k.text("q-progress"))
			for i := 0; i < total; i++ {
				k.waitFor(fmt.Sprintf("document.getElementById('q-progress').textContent.startsWith('第 %d 题')", i+1), 10*time.Second)
				k.answerFirst()
				if v := k.text("q-verdict"); v == "" || !strings.HasPrefix(k.text("q-correct"), "正确答案：") || k.text("q-explain") == "" {
					t.Fatalf("question %d: verdict %q, correct %q, explanation %q", i+1, v, k.text("q-correct"), k.text("q-explain"))
				}
				if i == 0 {
					k.shot("answered")
				}
				k.click("q-next")
			}
			k.waitScreen("result", 10*time.Second)
			k.waitFor("document.getElementById('r-crank').textContent !== '' && document.querySelectorAll('#r-top li').length > 0", 20*time.Second)
			k.shot("result")

			// The screen against the API.
			id := attemptOf(t, s, tc.name)
			play := quizv1.NewPlayServiceClient(s.Conn)
			res, err := play.GetAttemptResult(testserver.KeyCtx(keys.Kiosk), &quizv1.GetAttemptResultRequest{AttemptId: id})
			if err != nil {
				t.Fatal(err)
			}
			a := res.GetAttempt()
			if want := fmt.Sprintf("%s 分（满分 %s）", num(a.GetScore()), num(a.GetMaxScore())); k.text("r-score") != want {
				t.Errorf("score on screen %q, API says %q", k.text("r-score"), want)
			}
			if want := fmt.Sprintf("第 %d 名", res.GetRank()); res.GetRank() < 1 || k.text("r-rank") != want {
				t.Errorf("rank on screen %q, API says %d", k.text("r-rank"), res.GetRank())
			}
			local, err := play.GetMyRank(testserver.KeyCtx(keys.Kiosk), &quizv1.GetMyRankRequest{
				ContestId: contest, AttemptId: id, Community: demo.KioskCommunity})
			if want := fmt.Sprintf("第 %d 名", local.GetEntry().GetRank()); err != nil || k.text("r-crank") != want {
				t.Errorf("community rank on screen %q, API says %v (%v)", k.text("r-crank"), local, err)
			}
			if k.text("r-left") != "还可以再参加 2 次" {
				t.Errorf("attempts left %q; the demo contest allows 3 and this was the first", k.text("r-left"))
			}
			checkBoard(t, k, "r-top", play, keys.Kiosk, contest, "")
			checkBoard(t, k, "r-ctop", play, keys.Kiosk, contest, demo.KioskCommunity)
			checkNoKeyBeforeAnswer(t, rec.done(), res)

			// Back home: the player is gone, and the game left no history.
			k.click("r-home")
			k.waitScreen("attract", 10*time.Second)
			assertForgotten(t, k, tc.name, tc.phone)
			var history1 int
			k.js("history.length", &history1)
			if history1 != history0 {
				t.Errorf("the game added %d history entries", history1-history0)
			}
			noErrors(t, k.b)
		})
	}
}

func questionCount(t *testing.T, progress string) int {
	m := regexp.MustCompile(`共 (\d+) 题`).FindStringSubmatch(progress)
	if m == nil {
		t.Fatalf("progress %q", progress)
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// num prints a score the way the kiosk does (10, 7.5).
func num(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// checkBoard compares a top-10 list on screen with GetLeaderboard.
func checkBoard(t *testing.T, k *kiosk, id string, play quizv1.PlayServiceClient, key, contest, community string) {
	t.Helper()
	board, err := play.GetLeaderboard(testserver.KeyCtx(key), &quizv1.GetLeaderboardRequest{ContestId: contest, Community: community, PageSize: 10})
	if err != nil {
		t.Fatal(err)
	}
	var shown []string
	k.js(fmt.Sprintf(`[...document.querySelectorAll('#%s li')].map(li => li.querySelector('.rk').textContent + ' ' + li.querySelector('.nm').textContent + ' ' + li.querySelector('.sc').textContent)`, id), &shown)
	var want []string
	for _, e := range board.GetEntries() {
		want = append(want, fmt.Sprintf("%d %s %s分", e.GetRank(), e.GetDisplayName(), num(e.GetScore())))
	}
	if strings.Join(shown, "|") != strings.Join(want, "|") || len(want) == 0 {
		t.Errorf("%s on screen %q, API %q", id, shown, want)
	}
}

// checkNoKeyBeforeAnswer: every response carrying a question's key or
// explanation came after the page sent that question's answer.
func checkNoKeyBeforeAnswer(t *testing.T, events []netEvent, res *quizv1.GetAttemptResultResponse) {
	t.Helper()
	answered := map[int]int{} // index → seq of the first answer request
	keyed := 0
	for _, ev := range events {
		if ev.sent != nil {
			if _, ok := answered[*ev.sent]; !ok {
				answered[*ev.sent] = ev.seq
			}
			continue
		}
		for _, idx := range keyBearing(ev.body) {
			keyed++
			if idx < 0 {
				t.Errorf("response %s carries an answer key of no known question", ev.url)
				continue
			}
			if at, ok := answered[idx]; !ok || at > ev.seq {
				t.Errorf("response %s carries the key of question %d before it was answered", ev.url, idx)
			}
		}
		for _, r := range res.GetReview() {
			idx := int(r.GetQuestion().GetIndex())
			if at, ok := answered[idx]; (!ok || ev.seq < at) && r.GetExplanation() != "" && strings.Contains(ev.body, r.GetExplanation()) {
				t.Errorf("response %s carries the explanation of question %d before it was answered", ev.url, idx)
			}
		}
	}
	if len(answered) != len(res.GetReview()) || keyed < len(res.GetReview()) {
		t.Errorf("recorded %d answer requests and %d keyed results for %d questions: the recorder missed traffic",
			len(answered), keyed, len(res.GetReview()))
	}
}

// assertForgotten: nothing of the player is in the page or its storage.
func assertForgotten(t *testing.T, k *kiosk, name, phone string) {
	t.Helper()
	var dump string
	k.js(`document.documentElement.outerHTML + '\n' +
		[...document.querySelectorAll('input')].map(i => i.value).join('\n') + '\n' +
		JSON.stringify(Object.assign({}, localStorage)) + JSON.stringify(Object.assign({}, sessionStorage))`, &dump)
	spaced := phone[:3] + " " + phone[3:7]
	for _, s := range []string{name, phone, spaced} {
		if strings.Contains(dump, s) {
			t.Errorf("%q is still in the page or its storage", s)
		}
	}
	var storage []string
	k.js(`Object.keys(localStorage).concat(Object.keys(sessionStorage))`, &storage)
	if len(storage) != 1 || storage[0] != "wenming.kiosk.key" {
		t.Errorf("storage holds %v, want only the kiosk key", storage)
	}
}
