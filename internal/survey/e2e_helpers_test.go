package survey_test

import (
	"os"
	"testing"
	"time"

	"google.golang.org/protobuf/types/known/timestamppb"

	surveyv1 "github.com/wenming/wenming/gen/go/wenming/survey/v1"
	"github.com/wenming/wenming/internal/auth"
	"github.com/wenming/wenming/internal/rpc"
	"github.com/wenming/wenming/internal/store"
	"github.com/wenming/wenming/internal/testserver"
)

// withSecret gives the test server a secret, so respondents can be
// pseudonymised.
func withSecret(d *rpc.Deps) { d.Secret = []byte("0123456789abcdef0123456789abcdef") }

// world is a questionnaire (testdata/town.yaml, published) and clients.
type world struct {
	s       *testserver.Server
	qid     string
	q       surveyv1.QuestionnaireServiceClient
	c       surveyv1.CampaignServiceClient
	r       surveyv1.ResponseServiceClient
	results surveyv1.ResultServiceClient
	// now is when the world was built; campaigns open an hour before.
	now time.Time
}

func townYAML(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("testdata/town.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func setUp(t *testing.T, s *testserver.Server) *world {
	t.Helper()
	w := &world{
		s: s, q: surveyv1.NewQuestionnaireServiceClient(s.Conn), c: surveyv1.NewCampaignServiceClient(s.Conn),
		r: surveyv1.NewResponseServiceClient(s.Conn), results: surveyv1.NewResultServiceClient(s.Conn),
		now: time.Now(),
	}
	admin := s.Ctx(auth.Admin)
	imp, err := w.q.ImportQuestionnaire(admin, &surveyv1.ImportQuestionnaireRequest{Yaml: townYAML(t)})
	if err != nil {
		t.Fatal(err)
	}
	w.qid = imp.GetQuestionnaire().GetId()
	if _, err := w.q.PublishQuestionnaire(admin, &surveyv1.PublishQuestionnaireRequest{Id: w.qid}); err != nil {
		t.Fatal(err)
	}
	return w
}

var allChannels = []surveyv1.Channel{
	surveyv1.Channel_CHANNEL_PUBLIC_LINK, surveyv1.Channel_CHANNEL_KIOSK, surveyv1.Channel_CHANNEL_INTERVIEW,
}

// sexCampaign is a campaign over one dimension, sex, each half the
// population, target 3 each, open from an hour ago for a day.
func (w *world) sexCampaign() *surveyv1.CampaignContent {
	now := w.now
	return &surveyv1.CampaignContent{
		Title: "性别分层测试", QuestionnaireId: w.qid, QuestionnaireVersion: 1,
		StartTime: timestamppb.New(now.Add(-time.Hour)), EndTime: timestamppb.New(now.Add(24 * time.Hour)),
		Channels:   allChannels,
		Dimensions: []*surveyv1.Dimension{{Name: "sex", Label: "您的性别", Levels: []string{"男", "女"}}},
		Cells: []*surveyv1.Cell{
			{Stratum: map[string]string{"sex": "男"}, Target: 3, PopulationShare: 0.5},
			{Stratum: map[string]string{"sex": "女"}, Target: 3, PopulationShare: 0.5},
		},
	}
}

func (w *world) campaign(t *testing.T, c *surveyv1.CampaignContent) *surveyv1.Campaign {
	t.Helper()
	resp, err := w.c.CreateCampaign(w.s.Ctx(auth.Admin), &surveyv1.CreateCampaignRequest{Campaign: c})
	if err != nil {
		t.Fatal(err)
	}
	return resp.GetCampaign()
}

func choice(id string, codes ...string) *surveyv1.Answer {
	return &surveyv1.Answer{QuestionId: id, Choices: codes}
}

func value(id string, x float64) *surveyv1.Answer {
	return &surveyv1.Answer{QuestionId: id, Value: &x}
}

func sex(s string) map[string]string { return map[string]string{"sex": s} }

// rows counts every survey table, to show a refused request wrote nothing.
func rows(t *testing.T, db *store.DB) [4]int {
	return [4]int{testserver.Count(t, db, "svy_questionnaires"), testserver.Count(t, db, "svy_campaigns"), testserver.Count(t, db, "svy_responses"),
		testserver.Count(t, db, "request_ids")}
}
