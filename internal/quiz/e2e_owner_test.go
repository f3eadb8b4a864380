package quiz_test

import (
	"context"
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	quizv1 "github.com/wenming/wenming/gen/go/wenming/quiz/v1"
	"github.com/wenming/wenming/internal/auth"
	"github.com/wenming/wenming/internal/testserver"
)

// An attempt is played and reviewed only by the key that started it, by
// kiosk keys scoped to its community, and read by analysts and admins;
// to every other kiosk it does not exist. A test per boundary.
func TestAttemptsBelongToTheKeyThatStartedThem(t *testing.T) {
	t.Parallel()
	testserver.Each(t, func(t *testing.T, s *testserver.Server) {
		g := newGame(t, s, false)
		owner := s.Ctx(auth.Kiosk)
		otherKiosk := testserver.KeyCtx(s.NewKey(t, auth.Kiosk, ""))
		otherHall := testserver.KeyCtx(s.NewKey(t, auth.Kiosk, "西湖社区"))
		sameHall := testserver.KeyCtx(s.NewKey(t, auth.Kiosk, "东湖社区"))
		st := g.start(t, owner, "小王", "东湖社区", "13800138000")
		id := st.GetAttempt().GetId()
		qs := st.GetQuestions()

		notFound := func(who string, err error) {
			t.Helper()
			if status.Code(err) != codes.NotFound {
				t.Errorf("%s: %v, want NOT_FOUND", who, err)
			}
		}
		for name, ctx := range map[string]context.Context{"another kiosk": otherKiosk, "a kiosk of another community": otherHall} {
			_, err := g.play.GetAttempt(ctx, &quizv1.GetAttemptRequest{AttemptId: id})
			notFound(name+" reads the attempt", err)
			_, err = g.play.AnswerQuestion(ctx, &quizv1.AnswerQuestionRequest{AttemptId: id, Index: 0, ChosenKeys: rightKeys(qs[0])})
			notFound(name+" answers", err)
			_, err = g.play.SubmitAttempt(ctx, &quizv1.SubmitAttemptRequest{AttemptId: id})
			notFound(name+" submits", err)
			_, err = g.play.GetMyRank(ctx, &quizv1.GetMyRankRequest{ContestId: g.contestID, AttemptId: id})
			notFound(name+" asks the attempt's rank", err)
		}
		got, err := g.play.GetAttempt(owner, &quizv1.GetAttemptRequest{AttemptId: id})
		if err != nil || len(got.GetAnswers()) != 0 || got.GetAttempt().GetState() != quizv1.AttemptState_ATTEMPT_STATE_IN_PROGRESS {
			t.Fatalf("after the refused calls the attempt changed: %v, %v", got, err)
		}

		// A kiosk of the same community stands in for the owner.
		if _, err := g.play.AnswerQuestion(sameHall, &quizv1.AnswerQuestionRequest{AttemptId: id, Index: 0, ChosenKeys: rightKeys(qs[0])}); err != nil {
			t.Errorf("a kiosk of the same community answers: %v", err)
		}
		if _, err := g.play.SubmitAttempt(owner, &quizv1.SubmitAttemptRequest{AttemptId: id}); err != nil {
			t.Fatal(err)
		}

		// The finished attempt's review (with every answer key).
		review := func(ctx context.Context) error {
			_, err := g.play.GetAttemptResult(ctx, &quizv1.GetAttemptResultRequest{AttemptId: id})
			return err
		}
		notFound("another kiosk reads the review", review(otherKiosk))
		notFound("a kiosk of another community reads the review", review(otherHall))
		for name, ctx := range map[string]context.Context{
			"the owner": owner, "a kiosk of the same community": sameHall,
			"an analyst": s.Ctx(auth.Analyst), "an admin": s.Ctx(auth.Admin),
		} {
			if err := review(ctx); err != nil {
				t.Errorf("%s reads the review: %v", name, err)
			}
		}
	}, withSecret)
}

// A leaderboard given to a kiosk names no attempts (they would say where
// to look for answer keys); an analyst's still does.
func TestKioskLeaderboardsCarryNoAttemptIDs(t *testing.T) {
	t.Parallel()
	testserver.Each(t, func(t *testing.T, s *testserver.Server) {
		g := newGame(t, s, false)
		kiosk := s.Ctx(auth.Kiosk)
		st := g.start(t, kiosk, "小王", "东湖社区", "13800138000")
		if _, err := g.play.SubmitAttempt(kiosk, &quizv1.SubmitAttemptRequest{AttemptId: st.GetAttempt().GetId()}); err != nil {
			t.Fatal(err)
		}
		for _, tt := range []struct {
			role auth.Role
			want string
		}{{auth.Kiosk, ""}, {auth.Analyst, st.GetAttempt().GetId()}} {
			board, err := g.play.GetLeaderboard(s.Ctx(tt.role), &quizv1.GetLeaderboardRequest{ContestId: g.contestID})
			if err != nil || len(board.GetEntries()) != 1 {
				t.Fatalf("%s leaderboard: %v, %v", tt.role, board, err)
			}
			if got := board.GetEntries()[0].GetAttemptId(); got != tt.want {
				t.Errorf("%s leaderboard attempt id %q, want %q", tt.role, got, tt.want)
			}
			mine, err := g.play.GetMyRank(s.Ctx(tt.role), &quizv1.GetMyRankRequest{ContestId: g.contestID, ParticipantIdentifier: "13800138000"})
			if err != nil || mine.GetEntry().GetAttemptId() != tt.want {
				t.Errorf("%s my rank: %v, %v; want attempt id %q", tt.role, mine, err, tt.want)
			}
		}
	}, withSecret)
}

// Looking people up by phone number is rate-limited per kiosk key, so a
// copied key cannot run a phone book through it; other keys are unaffected.
func TestMyRankByPhoneIsRateLimitedPerKey(t *testing.T) {
	t.Parallel()
	testserver.Each(t, func(t *testing.T, s *testserver.Server) {
		g := newGame(t, s, false)
		ask := func(ctx context.Context) error {
			_, err := g.play.GetMyRank(ctx, &quizv1.GetMyRankRequest{ContestId: g.contestID, ParticipantIdentifier: "13800138000"})
			return err
		}
		scraper := testserver.KeyCtx(s.NewKey(t, auth.Kiosk, ""))
		var err error
		calls := 0
		for calls = 1; calls <= 50; calls++ {
			if err = ask(scraper); err != nil {
				break
			}
		}
		if status.Code(err) != codes.ResourceExhausted || calls > 11 {
			t.Fatalf("look-up %d by one key: %v, want RESOURCE_EXHAUSTED after the burst of 10", calls, err)
		}
		if err := ask(s.Ctx(auth.Kiosk)); err != nil {
			t.Errorf("another kiosk key was limited too: %v", err)
		}
		for range 12 {
			if err := ask(s.Ctx(auth.Analyst)); err != nil {
				t.Fatalf("analysts read every result and are not limited: %v", err)
			}
		}
	}, withSecret)
}
