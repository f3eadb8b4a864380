package quiz_test

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	quizv1 "github.com/wenming/wenming/gen/go/wenming/quiz/v1"
	"github.com/wenming/wenming/internal/apierr"
	"github.com/wenming/wenming/internal/auth"
	"github.com/wenming/wenming/internal/store"
	"github.com/wenming/wenming/internal/store/storetest"
	"github.com/wenming/wenming/internal/testserver"
)

// leaks reports what in a kiosk response gives away the answer to a
// question not yet answered: any answer key at all, or more explanations
// than questions answered.
func leaks(body string, answered int) string {
	if n := strings.Count(body, "EXPLAIN-"); n > answered {
		return fmt.Sprintf("%d explanations with %d questions answered", n, answered)
	}
	if answered == 0 && (strings.Contains(body, "correctKeys") || strings.Contains(body, "correct_keys")) {
		return "an answer key before any answer"
	}
	return ""
}

func TestKioskPlaysAFullGameOverGRPCAndSeesNoKeyBeforeAnswering(t *testing.T) {
	t.Parallel()
	testserver.Each(t, func(t *testing.T, s *testserver.Server) {
		g := newGame(t, s, true)
		kiosk := s.Ctx(auth.Kiosk)
		open, err := g.play.ListOpenContests(kiosk, &quizv1.ListOpenContestsRequest{})
		if err != nil || len(open.GetContests()) != 1 || open.GetContests()[0].GetId() != g.contestID {
			t.Fatalf("open contests = %v, %v", open, err)
		}
		st := g.start(t, kiosk, "小王", "东湖社区", "138 0013-8000")
		if why := leaks(jsonOf(st), 0); why != "" {
			t.Fatalf("StartAttempt leaks %s: %s", why, jsonOf(st))
		}
		attemptID := st.GetAttempt().GetId()
		for i, q := range st.GetQuestions() {
			got, err := g.play.GetAttempt(kiosk, &quizv1.GetAttemptRequest{AttemptId: attemptID})
			if err != nil {
				t.Fatal(err)
			}
			if why := leaks(jsonOf(got), i); why != "" {
				t.Fatalf("GetAttempt before question %d leaks %s", i, why)
			}
			keys := rightKeys(q)
			chosen := keys
			if len(keys) == 2 {
				chosen = keys[:1] // half right: 0 under ALL_OR_NOTHING
			}
			r, err := g.play.AnswerQuestion(kiosk, &quizv1.AnswerQuestionRequest{AttemptId: attemptID, Index: q.GetIndex(), ChosenKeys: chosen})
			if err != nil {
				t.Fatal(err)
			}
			res := r.GetResult()
			if !slices.Equal(res.GetCorrectKeys(), keys) || !strings.HasPrefix(res.GetExplanation(), "EXPLAIN-") ||
				res.GetCorrect() != (len(keys) == 1) {
				t.Errorf("answer to %q = %v", q.GetStem(), res)
			}
		}
		done, err := g.play.SubmitAttempt(kiosk, &quizv1.SubmitAttemptRequest{AttemptId: attemptID})
		if err != nil {
			t.Fatal(err)
		}
		a := done.GetAttempt()
		if a.GetState() != quizv1.AttemptState_ATTEMPT_STATE_FINISHED || a.GetScore() != 20 || a.GetMaxScore() != 30 ||
			a.GetCommunity() != "东湖社区" || a.GetTimeUsed() == nil {
			t.Errorf("finished attempt = %v", a)
		}
		result, err := g.play.GetAttemptResult(kiosk, &quizv1.GetAttemptResultRequest{AttemptId: attemptID})
		if err != nil || len(result.GetReview()) != 3 || result.GetRank() != 1 {
			t.Fatalf("result = %v, %v", result, err)
		}
		for _, r := range result.GetReview() {
			if len(r.GetCorrectKeys()) == 0 || r.GetAnswer() == nil {
				t.Errorf("review item without key or answer: %v", r)
			}
		}
		board, err := g.play.GetLeaderboard(kiosk, &quizv1.GetLeaderboardRequest{ContestId: g.contestID})
		if err != nil || board.GetTotalSize() != 1 || board.GetEntries()[0].GetDisplayName() != "小王" {
			t.Errorf("leaderboard = %v, %v", board, err)
		}
		// The same phone written differently is the same participant.
		mine, err := g.play.GetMyRank(kiosk, &quizv1.GetMyRankRequest{ContestId: g.contestID, ParticipantIdentifier: "13800138000"})
		if err != nil || mine.GetEntry().GetRank() != 1 {
			t.Errorf("my rank = %v, %v", mine, err)
		}
		// One attempt allowed: a second start is refused, whatever kiosk.
		_, err = g.play.StartAttempt(s.Ctx(auth.Kiosk), &quizv1.StartAttemptRequest{
			ContestId: g.contestID, DisplayName: "小王", Community: "西湖社区", ParticipantIdentifier: "13800138000"})
		if status.Code(err) != codes.ResourceExhausted || apierr.ReasonOf(err) != apierr.AttemptLimitReached {
			t.Errorf("second start = %v, want RESOURCE_EXHAUSTED", err)
		}
		// The raw identifier is stored nowhere.
		var hits int
		for _, q := range []string{`SELECT COUNT(*) FROM attempts WHERE pseudonym LIKE '%13800138000%'`,
			`SELECT COUNT(*) FROM contest_participants WHERE pseudonym LIKE '%13800138000%'`} {
			var n int
			if err := s.DB.R.Get(&n, q); err != nil {
				t.Fatal(err)
			}
			hits += n
		}
		if hits != 0 {
			t.Error("the raw phone number was stored")
		}
	}, withSecret)
}

// rightOf returns the shown labels of a JSON paper question's correct
// options.
func rightOf(q map[string]any) []string {
	var out []string
	for _, o := range q["options"].([]any) {
		o := o.(map[string]any)
		if slices.Contains(rightTexts[q["stem"].(string)], o["text"].(string)) {
			out = append(out, o["key"].(string))
		}
	}
	return out
}

func TestKioskPlaysAFullGameOverHTTPAndSeesNoKeyBeforeAnswering(t *testing.T) {
	t.Parallel()
	testserver.Each(t, func(t *testing.T, s *testserver.Server) {
		g := newGame(t, s, false)
		call := func(method, path string, body any, answered int) map[string]any {
			t.Helper()
			r := s.Do(t, auth.Kiosk, method, path, body)
			if r.Status != http.StatusOK {
				t.Fatalf("%s %s = %d %s", method, path, r.Status, r.Body)
			}
			if why := leaks(string(r.Body), answered); why != "" {
				t.Fatalf("%s %s leaks %s: %s", method, path, why, r.Body)
			}
			return r.JSON(t)
		}
		if open := call(http.MethodGet, "/v1/open-contests", nil, 0); len(open["contests"].([]any)) != 1 {
			t.Fatalf("open contests = %v", open)
		}
		st := call(http.MethodPost, "/v1/contests/"+g.contestID+"/attempts", map[string]any{
			"displayName": "小李", "community": "西湖社区", "participantIdentifier": "13900139000",
		}, 0)
		id := st["attempt"].(map[string]any)["id"].(string)
		questions := st["questions"].([]any)
		if len(questions) != 3 {
			t.Fatalf("paper = %v", questions)
		}
		// Answer the first question alone, then submit the rest at once.
		first := questions[0].(map[string]any)
		call(http.MethodGet, "/v1/attempts/"+id, nil, 0)
		ans := call(http.MethodPost, "/v1/attempts/"+id+"/answers", map[string]any{
			"index": 0, "chosenKeys": rightOf(first), "requestId": "kiosk-7-answer-1",
		}, 1)
		if res := ans["result"].(map[string]any); res["correct"] != true || res["pointsEarned"].(float64) != 10 {
			t.Errorf("answer = %v", res)
		}
		call(http.MethodGet, "/v1/attempts/"+id, nil, 1)
		var rest []map[string]any
		for _, q := range questions[1:] {
			q := q.(map[string]any)
			rest = append(rest, map[string]any{"index": q["index"], "chosenKeys": rightOf(q)})
		}
		sub := call(http.MethodPost, "/v1/attempts/"+id+":submit", map[string]any{"answers": rest}, 3)
		if a := sub["attempt"].(map[string]any); a["state"] != "ATTEMPT_STATE_FINISHED" || a["score"].(float64) != 30 {
			t.Errorf("submitted attempt = %v", a)
		}
		res := call(http.MethodGet, "/v1/attempts/"+id+"/result", nil, 6) // finished: every key, in answer and review
		if res["rank"].(float64) != 1 {
			t.Errorf("result rank = %v", res["rank"])
		}
		board := call(http.MethodGet, "/v1/contests/"+g.contestID+"/leaderboard?community=西湖社区&pageSize=10", nil, 0)
		entries := board["entries"].([]any)
		if len(entries) != 1 || entries[0].(map[string]any)["displayName"] != "小李" {
			t.Errorf("leaderboard = %v", board)
		}
		mine := call(http.MethodPost, "/v1/contests/"+g.contestID+"/leaderboard:myRank",
			map[string]any{"attemptId": id}, 0)
		if mine["entry"].(map[string]any)["rank"].(float64) != 1 {
			t.Errorf("my rank = %v", mine)
		}
		// Errors are proper HTTP statuses: a second attempt is 429.
		r := s.Do(t, auth.Kiosk, http.MethodPost, "/v1/contests/"+g.contestID+"/attempts", map[string]any{
			"displayName": "小李", "community": "西湖社区", "participantIdentifier": "139 0013 9000",
		})
		if r.Status != http.StatusTooManyRequests || r.Reason(t) != apierr.AttemptLimitReached {
			t.Errorf("second attempt = %d %s, want 429", r.Status, r.Body)
		}
	}, withSecret)
}

func TestLateAnswersAreRefusedOverGRPCAndHTTP(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		clock := &testserver.Clock{}
		s := testserver.Start(t, db, withSecret, testserver.WithClock(clock.Now))
		g := newGame(t, s, false)
		kiosk := s.Ctx(auth.Kiosk)
		st := g.start(t, kiosk, "小张", "东湖社区", "13700137000")
		id := st.GetAttempt().GetId()
		if _, err := g.play.AnswerQuestion(kiosk, &quizv1.AnswerQuestionRequest{AttemptId: id, Index: 0, ChosenKeys: []string{"A"}}); err != nil {
			t.Fatal(err)
		}
		clock.Advance(301 * time.Second) // the contest's time limit is 300 s
		_, err := g.play.AnswerQuestion(kiosk, &quizv1.AnswerQuestionRequest{AttemptId: id, Index: 1, ChosenKeys: []string{"A"}})
		if status.Code(err) != codes.FailedPrecondition || apierr.ReasonOf(err) != apierr.AttemptDeadlinePassed {
			t.Fatalf("late answer = %v, want FAILED_PRECONDITION", err)
		}
		r := s.Do(t, auth.Kiosk, http.MethodPost, "/v1/attempts/"+id+"/answers", map[string]any{"index": 2, "chosenKeys": []string{"A"}})
		if r.Status != http.StatusBadRequest || r.Reason(t) != apierr.AttemptDeadlinePassed {
			t.Errorf("late answer over HTTP = %d %s", r.Status, r.Body)
		}
		got, err := g.play.GetAttemptResult(kiosk, &quizv1.GetAttemptResultRequest{AttemptId: id})
		if err != nil {
			t.Fatal(err)
		}
		a := got.GetAttempt()
		if a.GetState() != quizv1.AttemptState_ATTEMPT_STATE_EXPIRED || a.GetAnsweredCount() != 1 || a.GetScore() != 10 {
			t.Errorf("expired attempt = %v; want the one in-time answer scored", a)
		}
	})
}

func TestRetriedRequestIDsReturnTheFirstReply(t *testing.T) {
	t.Parallel()
	testserver.Each(t, func(t *testing.T, s *testserver.Server) {
		g := newGame(t, s, true)
		kiosk := s.Ctx(auth.Kiosk)
		req := &quizv1.StartAttemptRequest{ContestId: g.contestID, DisplayName: "小赵", Community: "东湖社区",
			ParticipantIdentifier: "13600136000", RequestId: "kiosk-3-start-1"}
		first, err := g.play.StartAttempt(kiosk, req)
		if err != nil {
			t.Fatal(err)
		}
		// One attempt is allowed, so a second real start would be refused.
		again, err := g.play.StartAttempt(kiosk, req)
		if err != nil || again.GetAttempt().GetId() != first.GetAttempt().GetId() {
			t.Fatalf("retried start = %v, %v", again.GetAttempt(), err)
		}
		id := first.GetAttempt().GetId()
		ans := &quizv1.AnswerQuestionRequest{AttemptId: id, Index: 0, ChosenKeys: []string{"B"}, RequestId: "kiosk-3-answer-0"}
		a1, err := g.play.AnswerQuestion(kiosk, ans)
		if err != nil {
			t.Fatal(err)
		}
		a2, err := g.play.AnswerQuestion(kiosk, ans)
		if err != nil || a2.GetResult().GetAnswerTime().AsTime() != a1.GetResult().GetAnswerTime().AsTime() {
			t.Errorf("retried answer = %v, %v", a2, err)
		}
		// The same request id for another answer is refused.
		ans2 := &quizv1.AnswerQuestionRequest{AttemptId: id, Index: 1, ChosenKeys: []string{"A"}, RequestId: "kiosk-3-answer-0"}
		if _, err := g.play.AnswerQuestion(kiosk, ans2); status.Code(err) != codes.FailedPrecondition {
			t.Errorf("reused request id = %v, want FAILED_PRECONDITION", err)
		}
		sub := &quizv1.SubmitAttemptRequest{AttemptId: id, RequestId: "kiosk-3-submit"}
		s1, err := g.play.SubmitAttempt(kiosk, sub)
		if err != nil {
			t.Fatal(err)
		}
		s2, err := g.play.SubmitAttempt(kiosk, sub)
		if err != nil || s2.GetAttempt().GetFinishTime().AsTime() != s1.GetAttempt().GetFinishTime().AsTime() {
			t.Errorf("retried submit = %v, %v", s2, err)
		}
		var n int
		if err := s.DB.R.Get(&n, `SELECT COUNT(*) FROM attempts`); err != nil || n != 1 {
			t.Errorf("%d attempts stored, want 1", n)
		}
	}, withSecret)
}
