package quiz_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	quizv1 "github.com/wenming/wenming/gen/go/wenming/quiz/v1"
	"github.com/wenming/wenming/internal/apierr"
	"github.com/wenming/wenming/internal/auth"
	"github.com/wenming/wenming/internal/store/storetest"
	"github.com/wenming/wenming/internal/testserver"
)

func TestFiftyConcurrentAttemptsOnSQLiteAllSucceed(t *testing.T) {
	t.Parallel()
	s := testserver.Start(t, storetest.SQLite(t), withSecret)
	g := newGame(t, s, true)
	const n = 50
	errs := make(chan error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- playOne(s.Ctx(auth.Kiosk), g, i)
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	board, err := g.play.GetLeaderboard(s.Ctx(auth.Analyst), &quizv1.GetLeaderboardRequest{ContestId: g.contestID, PageSize: 100})
	if err != nil || board.GetTotalSize() != n || len(board.GetEntries()) != n {
		t.Fatalf("leaderboard has %d of %d entries: %v", board.GetTotalSize(), n, err)
	}
	if logs := s.Logs(); strings.Contains(logs, "locked") || strings.Contains(logs, "level=ERROR") {
		t.Errorf("server logged errors:\n%s", logs)
	}
}

// playOne plays a whole game for participant i, getting i mod 4 of the
// three questions right.
func playOne(ctx context.Context, g *game, i int) error {
	st, err := g.play.StartAttempt(ctx, &quizv1.StartAttemptRequest{
		ContestId: g.contestID, DisplayName: fmt.Sprintf("居民%02d", i), Community: "东湖社区",
		ParticipantIdentifier: fmt.Sprintf("1380000%04d", i), RequestId: fmt.Sprintf("start-%d", i),
	})
	if err != nil {
		return fmt.Errorf("start %d: %w", i, err)
	}
	id := st.GetAttempt().GetId()
	for j, q := range st.GetQuestions() {
		keys := rightKeys(q)
		if j >= i%4 {
			keys = []string{wrongKey(q)}
		}
		if _, err := g.play.AnswerQuestion(ctx, &quizv1.AnswerQuestionRequest{AttemptId: id, Index: q.GetIndex(), ChosenKeys: keys}); err != nil {
			return fmt.Errorf("answer %d/%d: %w", i, j, err)
		}
	}
	if _, err := g.play.SubmitAttempt(ctx, &quizv1.SubmitAttemptRequest{AttemptId: id}); err != nil {
		return fmt.Errorf("submit %d: %w", i, err)
	}
	if _, err := g.play.GetLeaderboard(ctx, &quizv1.GetLeaderboardRequest{ContestId: g.contestID, PageSize: 5}); err != nil {
		return fmt.Errorf("leaderboard %d: %w", i, err)
	}
	return nil
}

func TestStartingWithoutAServerSecretIsAClearFailedPrecondition(t *testing.T) {
	t.Parallel()
	s := testserver.Start(t, storetest.SQLite(t))
	g := newGame(t, s, false)
	_, err := g.play.StartAttempt(s.Ctx(auth.Kiosk), &quizv1.StartAttemptRequest{
		ContestId: g.contestID, DisplayName: "小周", Community: "东湖社区", ParticipantIdentifier: "13500135000"})
	if status.Code(err) != codes.FailedPrecondition || apierr.ReasonOf(err) != apierr.NoSecretKey {
		t.Errorf("start without a secret = %v", err)
	}
}

func TestAKioskKeyWithACommunityPlaysForThatCommunity(t *testing.T) {
	t.Parallel()
	s := testserver.Start(t, storetest.SQLite(t), withSecret)
	g := newGame(t, s, false)
	kiosk := testserver.KeyCtx(s.NewKey(t, auth.Kiosk, "东湖社区"))
	st, err := g.play.StartAttempt(kiosk, &quizv1.StartAttemptRequest{
		ContestId: g.contestID, DisplayName: "小吴", ParticipantIdentifier: "13400134000"})
	if err != nil || st.GetAttempt().GetCommunity() != "东湖社区" {
		t.Fatalf("start = %v, %v", st.GetAttempt(), err)
	}
	_, err = g.play.StartAttempt(kiosk, &quizv1.StartAttemptRequest{
		ContestId: g.contestID, DisplayName: "小吴", Community: "西湖社区", ParticipantIdentifier: "13400134001"})
	if got := badFields(err); !slices.Equal(got, []string{"community"}) {
		t.Errorf("start for another community: %v (fields %v)", err, got)
	}
}

func TestEveryQuizRPCNamesTheBadField(t *testing.T) {
	t.Parallel()
	s := testserver.Start(t, storetest.SQLite(t), withSecret)
	g := newGame(t, s, false)
	admin, kiosk, analyst := s.Ctx(auth.Admin), s.Ctx(auth.Kiosk), s.Ctx(auth.Analyst)
	st := g.start(t, kiosk, "小钱", "东湖社区", "13300133000")
	id := st.GetAttempt().GetId()
	bad := contestSettings([]string{"q1", "q1"}, false)
	bad.Title = ""
	bad.TimeLimitSeconds = 3
	cases := []struct {
		rpc  string
		call func() error
		want []string
	}{
		{"CreateContest", func() error {
			_, err := g.admin.CreateContest(admin, &quizv1.CreateContestRequest{Contest: bad})
			return err
		}, []string{"contest.title", "contest.paper.fixed.question_ids[1]", "contest.time_limit_seconds"}},
		{"CreateContest without settings", func() error {
			_, err := g.admin.CreateContest(admin, &quizv1.CreateContestRequest{})
			return err
		}, []string{"contest"}},
		{"UpdateContest", func() error {
			_, err := g.admin.UpdateContest(admin, &quizv1.UpdateContestRequest{Contest: contestSettings([]string{"q"}, false)})
			return err
		}, []string{"id"}},
		{"PublishContest", func() error { _, err := g.admin.PublishContest(admin, &quizv1.PublishContestRequest{}); return err }, []string{"id"}},
		{"CloseContest", func() error { _, err := g.admin.CloseContest(admin, &quizv1.CloseContestRequest{}); return err }, []string{"id"}},
		{"GetContest", func() error { _, err := g.admin.GetContest(analyst, &quizv1.GetContestRequest{}); return err }, []string{"id"}},
		{"ListContests", func() error {
			_, err := g.admin.ListContests(analyst, &quizv1.ListContestsRequest{PageSize: -1, PageToken: "junk"})
			return err
		}, []string{"page_size", "page_token"}},
		{"ImportQuestions", func() error {
			_, err := g.questions.ImportQuestions(admin, &quizv1.ImportQuestionsRequest{Content: "x"})
			return err
		}, []string{"format"}},
		{"ImportQuestions with a bad file", func() error {
			_, err := g.questions.ImportQuestions(admin, &quizv1.ImportQuestionsRequest{
				Format: quizv1.ImportFormat_IMPORT_FORMAT_CSV, Content: "category,type,stem,correct\n交通出行,SINGLE_CHOICE,,A\n"})
			return err
		}, []string{"content", "content", "content"}}, // stem, options, correct: each with its line
		{"ListOpenContests", func() error {
			_, err := g.play.ListOpenContests(kiosk, &quizv1.ListOpenContestsRequest{PageSize: -5})
			return err
		}, []string{"page_size"}},
		{"StartAttempt", func() error {
			_, err := g.play.StartAttempt(kiosk, &quizv1.StartAttemptRequest{ParticipantIdentifier: "12"})
			return err
		}, []string{"contest_id", "display_name", "participant_identifier", "community"}},
		{"GetAttempt", func() error { _, err := g.play.GetAttempt(kiosk, &quizv1.GetAttemptRequest{}); return err }, []string{"attempt_id"}},
		{"AnswerQuestion", func() error {
			_, err := g.play.AnswerQuestion(kiosk, &quizv1.AnswerQuestionRequest{AttemptId: id, Index: -1})
			return err
		}, []string{"index", "chosen_keys"}},
		{"AnswerQuestion with an unknown option", func() error {
			_, err := g.play.AnswerQuestion(kiosk, &quizv1.AnswerQuestionRequest{AttemptId: id, Index: 0, ChosenKeys: []string{"Z"}})
			return err
		}, []string{"chosen_keys[0]"}},
		{"SubmitAttempt", func() error {
			_, err := g.play.SubmitAttempt(kiosk, &quizv1.SubmitAttemptRequest{AttemptId: id, Answers: []*quizv1.PaperAnswer{
				{Index: 9, ChosenKeys: []string{"A"}}, {Index: 1}}})
			return err
		}, []string{"answers[0].index", "answers[1].chosen_keys"}},
		{"GetAttemptResult", func() error {
			_, err := g.play.GetAttemptResult(kiosk, &quizv1.GetAttemptResultRequest{})
			return err
		}, []string{"attempt_id"}},
		{"GetLeaderboard", func() error {
			_, err := g.play.GetLeaderboard(kiosk, &quizv1.GetLeaderboardRequest{PageToken: "junk"})
			return err
		}, []string{"contest_id", "page_token"}},
		{"GetMyRank", func() error {
			_, err := g.play.GetMyRank(kiosk, &quizv1.GetMyRankRequest{ContestId: g.contestID})
			return err
		}, []string{"participant_identifier"}},
		{"GetContestStatistics", func() error {
			_, err := g.stats.GetContestStatistics(analyst, &quizv1.GetContestStatisticsRequest{HistogramBinWidth: -1})
			return err
		}, []string{"contest_id", "histogram_bin_width"}},
		{"GetParticipation", func() error {
			_, err := g.stats.GetParticipation(analyst, &quizv1.GetParticipationRequest{StartDate: "2026-02-30", EndDate: "3月"})
			return err
		}, []string{"contest_id", "granularity", "start_date", "end_date"}},
	}
	for _, tc := range cases {
		err := tc.call()
		if status.Code(err) != codes.InvalidArgument || !slices.Equal(badFields(err), tc.want) {
			t.Errorf("%s: %v; fields %v, want INVALID_ARGUMENT on %v", tc.rpc, err, badFields(err), tc.want)
		}
	}
	// Over HTTP the same is a 400 naming the field.
	r := s.Do(t, auth.Kiosk, http.MethodPost, "/v1/attempts/"+id+"/answers", map[string]any{"index": 0})
	if r.Status != http.StatusBadRequest || !strings.Contains(string(r.Body), `"chosen_keys"`) {
		t.Errorf("HTTP answer without keys = %d %s", r.Status, r.Body)
	}
}

func TestQuizRoleBoundaries(t *testing.T) {
	t.Parallel()
	s := testserver.Start(t, storetest.SQLite(t), withSecret)
	g := newGame(t, s, false)
	st := g.start(t, s.Ctx(auth.Kiosk), "小孙", "东湖社区", "13200132000")
	id := st.GetAttempt().GetId()
	// Each call is valid; only the caller's role decides the outcome.
	// Writes that would change what later calls see use ids that do not
	// exist (NOT_FOUND means the caller got through).
	calls := map[string]func(ctx context.Context) error{
		"CreateContest": func(ctx context.Context) error {
			_, err := g.admin.CreateContest(ctx, &quizv1.CreateContestRequest{Contest: contestSettings([]string{"q"}, false)})
			return err
		},
		"UpdateContest": func(ctx context.Context) error {
			_, err := g.admin.UpdateContest(ctx, &quizv1.UpdateContestRequest{Id: "none", Contest: contestSettings([]string{"q"}, false)})
			return err
		},
		"PublishContest": func(ctx context.Context) error {
			_, err := g.admin.PublishContest(ctx, &quizv1.PublishContestRequest{Id: "none"})
			return err
		},
		"CloseContest": func(ctx context.Context) error {
			_, err := g.admin.CloseContest(ctx, &quizv1.CloseContestRequest{Id: "none"})
			return err
		},
		"GetContest": func(ctx context.Context) error {
			_, err := g.admin.GetContest(ctx, &quizv1.GetContestRequest{Id: g.contestID})
			return err
		},
		"ListContests": func(ctx context.Context) error {
			_, err := g.admin.ListContests(ctx, &quizv1.ListContestsRequest{})
			return err
		},
		"ImportQuestions": func(ctx context.Context) error {
			_, err := g.questions.ImportQuestions(ctx, &quizv1.ImportQuestionsRequest{
				Format: quizv1.ImportFormat_IMPORT_FORMAT_YAML, Content: "questions: [{category: x}]"})
			return err
		},
		"ListOpenContests": func(ctx context.Context) error {
			_, err := g.play.ListOpenContests(ctx, &quizv1.ListOpenContestsRequest{})
			return err
		},
		"StartAttempt": func(ctx context.Context) error {
			_, err := g.play.StartAttempt(ctx, &quizv1.StartAttemptRequest{ContestId: "none", DisplayName: "x",
				Community: "东湖社区", ParticipantIdentifier: "13200132001"})
			return err
		},
		"GetAttempt": func(ctx context.Context) error {
			_, err := g.play.GetAttempt(ctx, &quizv1.GetAttemptRequest{AttemptId: id})
			return err
		},
		"AnswerQuestion": func(ctx context.Context) error {
			_, err := g.play.AnswerQuestion(ctx, &quizv1.AnswerQuestionRequest{AttemptId: "none", ChosenKeys: []string{"A"}})
			return err
		},
		"SubmitAttempt": func(ctx context.Context) error {
			_, err := g.play.SubmitAttempt(ctx, &quizv1.SubmitAttemptRequest{AttemptId: "none"})
			return err
		},
		"GetAttemptResult": func(ctx context.Context) error {
			_, err := g.play.GetAttemptResult(ctx, &quizv1.GetAttemptResultRequest{AttemptId: "none"})
			return err
		},
		"GetLeaderboard": func(ctx context.Context) error {
			_, err := g.play.GetLeaderboard(ctx, &quizv1.GetLeaderboardRequest{ContestId: g.contestID})
			return err
		},
		"GetMyRank": func(ctx context.Context) error {
			_, err := g.play.GetMyRank(ctx, &quizv1.GetMyRankRequest{ContestId: g.contestID, AttemptId: id})
			return err
		},
		"GetKiosk": func(ctx context.Context) error {
			_, err := g.play.GetKiosk(ctx, &quizv1.GetKioskRequest{})
			return err
		},
		"GetContestStatistics": func(ctx context.Context) error {
			_, err := g.stats.GetContestStatistics(ctx, &quizv1.GetContestStatisticsRequest{ContestId: g.contestID})
			return err
		},
		"GetParticipation": func(ctx context.Context) error {
			_, err := g.stats.GetParticipation(ctx, &quizv1.GetParticipationRequest{ContestId: g.contestID,
				Granularity: quizv1.Granularity_GRANULARITY_DAY})
			return err
		},
	}
	kioskMay := []string{"ListOpenContests", "StartAttempt", "GetAttempt", "AnswerQuestion", "SubmitAttempt",
		"GetAttemptResult", "GetLeaderboard", "GetMyRank", "GetKiosk"}
	analystMay := []string{"GetContest", "ListContests", "ListOpenContests", "GetAttempt", "GetAttemptResult",
		"GetLeaderboard", "GetMyRank", "GetContestStatistics", "GetParticipation"}
	for method, call := range calls {
		for _, role := range append([]auth.Role{""}, auth.Roles...) {
			allowed := role == auth.Admin || role == auth.Kiosk && slices.Contains(kioskMay, method) ||
				role == auth.Analyst && slices.Contains(analystMay, method)
			got := status.Code(call(s.Ctx(role)))
			switch {
			case role == "" && got != codes.Unauthenticated:
				t.Errorf("%s without a key: %v, want UNAUTHENTICATED", method, got)
			case role != "" && !allowed && got != codes.PermissionDenied:
				t.Errorf("%s as %s: %v, want PERMISSION_DENIED", method, role, got)
			case allowed && (got == codes.PermissionDenied || got == codes.Unauthenticated):
				t.Errorf("%s as %s: %v, want it let through", method, role, got)
			}
		}
	}
}

func TestKiosksSeeTheOpenContestsOfTheirCommunity(t *testing.T) {
	t.Parallel()
	s := testserver.Start(t, storetest.SQLite(t), withSecret)
	g := newGame(t, s, false) // open to everyone
	admin := s.Ctx(auth.Admin)
	for _, community := range []string{"东湖社区", "西湖社区"} {
		cs := contestSettings([]string{"x"}, false)
		imp, err := g.questions.ImportQuestions(admin, &quizv1.ImportQuestionsRequest{Format: quizv1.ImportFormat_IMPORT_FORMAT_YAML, Content: gameFile})
		if err != nil {
			t.Fatal(err)
		}
		cs.Paper = &quizv1.PaperRule{Rule: &quizv1.PaperRule_Fixed{Fixed: &quizv1.FixedPaper{QuestionIds: imp.GetQuestionIds()}}}
		cs.Community = community
		c, err := g.admin.CreateContest(admin, &quizv1.CreateContestRequest{Contest: cs})
		if err == nil {
			_, err = g.admin.PublishContest(admin, &quizv1.PublishContestRequest{Id: c.GetContest().GetId()})
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	count := func(ctx context.Context) int {
		r, err := g.play.ListOpenContests(ctx, &quizv1.ListOpenContestsRequest{})
		if err != nil {
			t.Fatal(err)
		}
		return len(r.GetContests())
	}
	if n := count(testserver.KeyCtx(s.NewKey(t, auth.Kiosk, "东湖社区"))); n != 2 {
		t.Errorf("a 东湖 kiosk sees %d open contests, want 2 (everyone's and 东湖's)", n)
	}
	if n := count(s.Ctx(auth.Kiosk)); n != 3 {
		t.Errorf("a kiosk without a community sees %d open contests, want all 3", n)
	}
}
