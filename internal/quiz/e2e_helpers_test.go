package quiz_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"

	quizv1 "github.com/wenming/wenming/gen/go/wenming/quiz/v1"
	"github.com/wenming/wenming/internal/auth"
	"github.com/wenming/wenming/internal/rpc"
	"github.com/wenming/wenming/internal/testserver"
)

// withSecret gives the test server a secret, so participants can be
// pseudonymised.
func withSecret(d *rpc.Deps) { d.Secret = []byte("0123456789abcdef0123456789abcdef") }

// gameFile has one question of each type; keys A, B, C in order.
const gameFile = `
questions:
  - category: 公共秩序
    type: SINGLE_CHOICE
    stem: 在公交车站等车时，正确的做法是？
    options: [依次排队，先下后上, 车来了再往前挤, 站在车道上等车]
    correct: [A]
    explanation: EXPLAIN-Q1 依次排队，先下后上。
  - category: 交通出行
    type: TRUE_FALSE
    stem: 行人过马路应走人行横道。
    correct: [A]
    explanation: EXPLAIN-Q2 走人行横道更安全。
  - category: 网络文明
    type: MULTIPLE_CHOICE
    stem: 下列哪些是文明上网的做法？
    options: [转发前核实信息, 理性表达观点, 公开他人隐私]
    correct: [A, B]
    explanation: EXPLAIN-Q3 不侵犯他人隐私。
`

// rightTexts maps each gameFile stem to its correct options' texts.
var rightTexts = map[string][]string{
	"在公交车站等车时，正确的做法是？": {"依次排队，先下后上"},
	"行人过马路应走人行横道。":     {"正确"},
	"下列哪些是文明上网的做法？":    {"转发前核实信息", "理性表达观点"},
}

// rightKeys returns the labels the paper shows for a question's correct
// options (shuffled papers relabel them).
func rightKeys(q *quizv1.PaperQuestion) []string {
	var out []string
	for _, o := range q.GetOptions() {
		if slices.Contains(rightTexts[q.GetStem()], o.GetText()) {
			out = append(out, o.GetKey())
		}
	}
	return out
}

// wrongKey returns the label of some wrong option.
func wrongKey(q *quizv1.PaperQuestion) string {
	for _, o := range q.GetOptions() {
		if !slices.Contains(rightTexts[q.GetStem()], o.GetText()) {
			return o.GetKey()
		}
	}
	return ""
}

type game struct {
	s         *testserver.Server
	contestID string
	admin     quizv1.ContestServiceClient
	play      quizv1.PlayServiceClient
	stats     quizv1.QuizStatsServiceClient
	questions quizv1.QuestionServiceClient
}

// contestSettings is an open contest over the given questions.
func contestSettings(ids []string, shuffle bool) *quizv1.ContestSettings {
	now := time.Now()
	return &quizv1.ContestSettings{
		Title: "2026年文明礼仪知识竞赛", Organiser: "东湖街道文明办",
		StartTime: timestamppb.New(now.Add(-time.Hour)), EndTime: timestamppb.New(now.Add(24 * time.Hour)),
		Paper:            &quizv1.PaperRule{Rule: &quizv1.PaperRule_Fixed{Fixed: &quizv1.FixedPaper{QuestionIds: ids}}},
		ShuffleQuestions: shuffle, ShuffleOptions: shuffle,
		TimeLimitSeconds: 300, AttemptsAllowed: 1, PointsPerQuestion: 10,
	}
}

// newGame imports gameFile and publishes a contest over it.
func newGame(t *testing.T, s *testserver.Server, shuffle bool) *game {
	t.Helper()
	g := &game{
		s: s, admin: quizv1.NewContestServiceClient(s.Conn), play: quizv1.NewPlayServiceClient(s.Conn),
		stats: quizv1.NewQuizStatsServiceClient(s.Conn), questions: quizv1.NewQuestionServiceClient(s.Conn),
	}
	admin := s.Ctx(auth.Admin)
	imp, err := g.questions.ImportQuestions(admin, &quizv1.ImportQuestionsRequest{
		Format: quizv1.ImportFormat_IMPORT_FORMAT_YAML, Content: gameFile,
	})
	if err != nil {
		t.Fatal(err)
	}
	c, err := g.admin.CreateContest(admin, &quizv1.CreateContestRequest{Contest: contestSettings(imp.GetQuestionIds(), shuffle)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := g.admin.PublishContest(admin, &quizv1.PublishContestRequest{Id: c.GetContest().GetId()}); err != nil {
		t.Fatal(err)
	}
	g.contestID = c.GetContest().GetId()
	return g
}

func (g *game) start(t *testing.T, ctx context.Context, name, community, phone string) *quizv1.StartAttemptResponse {
	t.Helper()
	r, err := g.play.StartAttempt(ctx, &quizv1.StartAttemptRequest{
		ContestId: g.contestID, DisplayName: name, Community: community, ParticipantIdentifier: phone,
	})
	if err != nil {
		t.Fatalf("StartAttempt(%s): %v", name, err)
	}
	return r
}

// jsonOf renders a message as the gateway would, to search it for keys.
func jsonOf(m proto.Message) string {
	return protojson.MarshalOptions{EmitUnpopulated: true}.Format(m)
}
