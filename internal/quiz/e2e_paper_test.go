package quiz_test

import (
	"slices"
	"strings"
	"testing"

	"google.golang.org/protobuf/proto"

	quizv1 "github.com/wenming/wenming/gen/go/wenming/quiz/v1"
	"github.com/wenming/wenming/internal/auth"
	"github.com/wenming/wenming/internal/testserver"
)

// A paper of 70 questions (more than one multi-row insert takes) drawn by
// three rules, one of them of one difficulty, is stored and read back as
// StartAttempt showed it, and its last question can be answered.
func TestALargeDrawnPaperRoundTripsThroughStartAndGetAttempt(t *testing.T) {
	t.Parallel()
	testserver.Each(t, func(t *testing.T, s *testserver.Server) {
		admin, kiosk := s.Ctx(auth.Admin), s.Ctx(auth.Kiosk)
		questions, contests, play := quizv1.NewQuestionServiceClient(s.Conn), quizv1.NewContestServiceClient(s.Conn), quizv1.NewPlayServiceClient(s.Conn)
		if _, err := questions.ImportQuestions(admin, &quizv1.ImportQuestionsRequest{
			Format: quizv1.ImportFormat_IMPORT_FORMAT_YAML, Content: bankFile(45, "公共秩序", "交通出行", "网络文明"),
		}); err != nil {
			t.Fatal(err)
		}
		settings := contestSettings(nil, true)
		settings.Paper = &quizv1.PaperRule{Rule: &quizv1.PaperRule_Random{Random: &quizv1.RandomPaper{Draws: []*quizv1.DrawRule{
			{Category: "公共秩序", Count: 40}, {Category: "交通出行", Count: 25},
			{Category: "网络文明", Difficulty: quizv1.Difficulty_DIFFICULTY_HARD, Count: 5},
		}}}}
		c, err := contests.CreateContest(admin, &quizv1.CreateContestRequest{Contest: settings})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := contests.PublishContest(admin, &quizv1.PublishContestRequest{Id: c.GetContest().GetId()}); err != nil {
			t.Fatal(err)
		}
		st, err := play.StartAttempt(kiosk, &quizv1.StartAttemptRequest{
			ContestId: c.GetContest().GetId(), DisplayName: "小孙", Community: "东湖社区", ParticipantIdentifier: "13500135000",
		})
		if err != nil {
			t.Fatal(err)
		}
		paper := st.GetQuestions()
		perCategory := map[string]int{}
		stems := map[string]bool{}
		for i, q := range paper {
			perCategory[q.GetCategory()]++
			stems[q.GetStem()] = true
			if q.GetIndex() != int32(i) || len(q.GetOptions()) != 4 || q.GetPoints() != 10 {
				t.Errorf("question %d = %v", i, q)
			}
			if q.GetCategory() == "网络文明" && !strings.HasSuffix(q.GetStem(), "(HARD)") {
				t.Errorf("the HARD draw gave %q", q.GetStem())
			}
		}
		if len(paper) != 70 || len(stems) != 70 || perCategory["公共秩序"] != 40 || perCategory["交通出行"] != 25 || perCategory["网络文明"] != 5 {
			t.Fatalf("paper of %d questions (%d distinct), per category %v; want 70 = 40 + 25 + 5", len(paper), len(stems), perCategory)
		}
		if a := st.GetAttempt(); a.GetQuestionCount() != 70 || a.GetMaxScore() != 700 {
			t.Errorf("attempt = %v", a)
		}

		id := st.GetAttempt().GetId()
		got, err := play.GetAttempt(kiosk, &quizv1.GetAttemptRequest{AttemptId: id})
		if err != nil {
			t.Fatal(err)
		}
		if len(got.GetQuestions()) != len(paper) {
			t.Fatalf("GetAttempt shows %d questions, StartAttempt %d", len(got.GetQuestions()), len(paper))
		}
		for i := range paper {
			if !proto.Equal(got.GetQuestions()[i], paper[i]) {
				t.Fatalf("question %d: GetAttempt shows %v, StartAttempt showed %v", i, got.GetQuestions()[i], paper[i])
			}
		}

		last := paper[len(paper)-1]
		right := last.GetOptions()[slices.IndexFunc(last.GetOptions(), func(o *quizv1.Option) bool { return o.GetText() == "对的" })].GetKey()
		r, err := play.AnswerQuestion(kiosk, &quizv1.AnswerQuestionRequest{AttemptId: id, Index: last.GetIndex(), ChosenKeys: []string{right}})
		if err != nil {
			t.Fatal(err)
		}
		if !r.GetResult().GetCorrect() || r.GetAttempt().GetAnsweredCount() != 1 || r.GetAttempt().GetScore() != 10 {
			t.Errorf("answer to the last question = %v", r)
		}
		got, err = play.GetAttempt(kiosk, &quizv1.GetAttemptRequest{AttemptId: id})
		if err != nil || len(got.GetAnswers()) != 1 || got.GetAnswers()[0].GetIndex() != last.GetIndex() {
			t.Errorf("answers after answering the last question = %v, %v", got.GetAnswers(), err)
		}
	}, withSecret)
}
