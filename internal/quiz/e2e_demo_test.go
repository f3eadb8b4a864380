package quiz_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	quizv1 "github.com/wenming/wenming/gen/go/wenming/quiz/v1"
	"github.com/wenming/wenming/internal/auth"
	"github.com/wenming/wenming/internal/demo"
	"github.com/wenming/wenming/internal/rpc"
	"github.com/wenming/wenming/internal/store/storetest"
	"github.com/wenming/wenming/internal/testserver"
)

func TestDemoDataHasABankAndAnOpenContestAKioskCanPlay(t *testing.T) {
	t.Parallel()
	s := testserver.Start(t, storetest.SQLite(t), withSecret)
	if _, err := demo.Load(context.Background(), rpc.Deps{DB: s.DB}); err != nil {
		t.Fatal(err)
	}
	var n, categories, unexplained int
	_ = s.DB.R.Get(&n, `SELECT COUNT(*) FROM question_versions`)
	_ = s.DB.R.Get(&categories, `SELECT COUNT(DISTINCT category) FROM question_versions`)
	_ = s.DB.R.Get(&unexplained, `SELECT COUNT(*) FROM question_versions WHERE explanation = ''`)
	if n < 40 || categories < 4 || unexplained > 0 {
		t.Errorf("demo bank: %d questions in %d categories, %d without explanation", n, categories, unexplained)
	}

	// Over HTTP: list, start, answer everything wrong-or-right blind, submit.
	r := s.Do(t, auth.Kiosk, http.MethodGet, "/v1/open-contests", nil)
	open := r.JSON(t)["contests"].([]any)
	if r.Status != http.StatusOK || len(open) != 1 {
		t.Fatalf("open contests = %d %s", r.Status, r.Body)
	}
	contestID := open[0].(map[string]any)["id"].(string)
	r = s.Do(t, auth.Kiosk, http.MethodPost, "/v1/contests/"+contestID+"/attempts", map[string]any{
		"displayName": "演示居民", "community": "东湖社区", "participantIdentifier": "13800000001"})
	if r.Status != http.StatusOK || strings.Contains(string(r.Body), "correctKeys") || strings.Contains(string(r.Body), "explanation") {
		t.Fatalf("start = %d %s", r.Status, r.Body)
	}
	st := r.JSON(t)
	id := st["attempt"].(map[string]any)["id"].(string)
	questions := st["questions"].([]any)
	if len(questions) != 10 {
		t.Fatalf("demo paper has %d questions, want 10", len(questions))
	}
	for i, q := range questions {
		q := q.(map[string]any)
		first := q["options"].([]any)[0].(map[string]any)["key"]
		r := s.Do(t, auth.Kiosk, http.MethodPost, "/v1/attempts/"+id+"/answers", map[string]any{"index": q["index"], "chosenKeys": []any{first}})
		if r.Status != http.StatusOK || strings.Count(string(r.Body), "explanation") != 1 {
			t.Fatalf("answer %d = %d %s", i, r.Status, r.Body)
		}
	}
	if r := s.Do(t, auth.Kiosk, http.MethodPost, "/v1/attempts/"+id+":submit", map[string]any{}); r.Status != http.StatusOK {
		t.Fatalf("submit = %d %s", r.Status, r.Body)
	}

	// Over gRPC: the same contest, a second participant.
	play := quizv1.NewPlayServiceClient(s.Conn)
	kiosk := s.Ctx(auth.Kiosk)
	start, err := play.StartAttempt(kiosk, &quizv1.StartAttemptRequest{ContestId: contestID, DisplayName: "演示居民二",
		Community: "西湖社区", ParticipantIdentifier: "13800000002"})
	if err != nil || strings.Contains(jsonOf(start), "correctKeys") || strings.Contains(jsonOf(start), "explanation") {
		t.Fatalf("start = %v", err)
	}
	if _, err := play.SubmitAttempt(kiosk, &quizv1.SubmitAttemptRequest{AttemptId: start.GetAttempt().GetId()}); err != nil {
		t.Fatal(err)
	}
	board, err := play.GetLeaderboard(kiosk, &quizv1.GetLeaderboardRequest{ContestId: contestID})
	if err != nil || board.GetTotalSize() != 2 {
		t.Errorf("leaderboard = %v, %v", board, err)
	}
}
