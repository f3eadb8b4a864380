package survey_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"google.golang.org/grpc/codes"

	surveyv1 "github.com/wenming/wenming/gen/go/wenming/survey/v1"
	"github.com/wenming/wenming/internal/apierr"
	"github.com/wenming/wenming/internal/auth"
	"github.com/wenming/wenming/internal/testserver"
)

// A retried request_id returns the first result and writes nothing more;
// the same id with another payload is refused.
func TestRetriedRequestIDWritesOnce(t *testing.T) {
	t.Parallel()
	testserver.Each(t, func(t *testing.T, s *testserver.Server) {
		w := setUp(t, s)
		admin := s.Ctx(auth.Admin)
		tests := []struct {
			name  string
			call  func(rid string, variant bool) (string, error)
			table string
		}{
			{"CreateQuestionnaire", func(rid string, variant bool) (string, error) {
				title := "重试"
				if variant {
					title = "另一个"
				}
				r, err := w.q.CreateQuestionnaire(admin, &surveyv1.CreateQuestionnaireRequest{RequestId: rid,
					Questionnaire: &surveyv1.QuestionnaireContent{Title: &surveyv1.Text{Zh: title}}})
				return r.GetQuestionnaire().GetId(), err
			}, "svy_questionnaires"},
			{"ImportQuestionnaire", func(rid string, variant bool) (string, error) {
				y := townYAML(t)
				if variant {
					y = strings.Replace(y, "社区文明创建居民问卷", "另一份问卷", 1)
				}
				r, err := w.q.ImportQuestionnaire(admin, &surveyv1.ImportQuestionnaireRequest{RequestId: rid, Yaml: y})
				return r.GetQuestionnaire().GetId(), err
			}, "svy_questionnaires"},
			{"NewQuestionnaireVersion", func(rid string, variant bool) (string, error) {
				id := w.qid
				if variant {
					id = "other"
				}
				r, err := w.q.NewQuestionnaireVersion(admin, &surveyv1.NewQuestionnaireVersionRequest{RequestId: rid, Id: id})
				return r.GetQuestionnaire().GetId(), err
			}, "svy_questionnaires"},
			{"CreateCampaign", func(rid string, variant bool) (string, error) {
				c := w.sexCampaign()
				if variant {
					c.Title = "另一个"
				}
				r, err := w.c.CreateCampaign(admin, &surveyv1.CreateCampaignRequest{RequestId: rid, Campaign: c})
				return r.GetCampaign().GetId(), err
			}, "svy_campaigns"},
		}
		camp := w.campaign(t, w.sexCampaign())
		tests = append(tests, struct {
			name  string
			call  func(rid string, variant bool) (string, error)
			table string
		}{"SubmitResponse", func(rid string, variant bool) (string, error) {
			v := 3.0
			if variant {
				v = 4
			}
			r, err := w.r.SubmitResponse(context.Background(), &surveyv1.SubmitResponseRequest{RequestId: rid,
				Code: camp.GetCode(), Stratum: sex("女"), Answers: []*surveyv1.Answer{choice("Q1", "B"), value("Q3", v)}})
			return r.GetResponse().GetId(), err
		}, "svy_responses"})

		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				first, err := tt.call("rid-"+tt.name, false)
				if err != nil {
					t.Fatal(err)
				}
				n := testserver.Count(t, s.DB, tt.table)
				again, err := tt.call("rid-"+tt.name, false)
				if err != nil || again != first {
					t.Fatalf("retry: %q, %v; want %q", again, err, first)
				}
				if _, err := tt.call("rid-"+tt.name, true); apierr.ReasonOf(err) != apierr.RequestIDReused {
					t.Errorf("same id, other payload: %v, want REQUEST_ID_REUSED", err)
				}
				if got := testserver.Count(t, s.DB, tt.table); got != n {
					t.Errorf("%s has %d rows after retries, want %d", tt.table, got, n)
				}
			})
		}

		// Concurrent first attempts of one request: one row, one answer.
		before := testserver.Count(t, s.DB, "svy_responses")
		var wg sync.WaitGroup
		ids := make([]string, 8)
		errs := make([]error, 8)
		for i := range ids {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r, err := w.r.SubmitResponse(testserver.KeyCtx(s.Keys[auth.Kiosk]), &surveyv1.SubmitResponseRequest{
					RequestId: "concurrent", CampaignId: camp.GetId(), Stratum: sex("男"),
					Answers: []*surveyv1.Answer{choice("Q1", "A"), value("Q3", 5)}})
				ids[i], errs[i] = r.GetResponse().GetId(), err
			}()
		}
		wg.Wait()
		for i := range ids {
			if errs[i] != nil || ids[i] != ids[0] {
				t.Errorf("attempt %d: %q, %v; want %q", i, ids[i], errs[i], ids[0])
			}
		}
		if got := testserver.Count(t, s.DB, "svy_responses"); got != before+1 {
			t.Errorf("%d responses after concurrent retries, want %d", got, before+1)
		}
	})
}

// With an identifier, one person answers a campaign once; only the keyed
// hash is stored.
func TestOneResponsePerRespondent(t *testing.T) {
	t.Parallel()
	testserver.Each(t, func(t *testing.T, s *testserver.Server) {
		w := setUp(t, s)
		camp := w.campaign(t, w.sexCampaign())
		answer := func(id string) error {
			_, err := w.r.SubmitResponse(s.Ctx(auth.Inspector), &surveyv1.SubmitResponseRequest{
				CampaignId: camp.GetId(), Stratum: sex("女"), RespondentIdentifier: id,
				Answers: []*surveyv1.Answer{choice("Q1", "B"), value("Q3", 4)}})
			return err
		}
		if err := answer("138 0013 8000"); err != nil {
			t.Fatal(err)
		}
		err := answer("13800138000")
		testserver.WantCode(t, err, codes.AlreadyExists)
		if apierr.ReasonOf(err) != apierr.AlreadyResponded {
			t.Errorf("reason = %q, want ALREADY_RESPONDED", apierr.ReasonOf(err))
		}
		if err := answer("13900139000"); err != nil {
			t.Fatalf("another person: %v", err)
		}
		var raw int
		if err := s.DB.R.Get(&raw, `SELECT COUNT(*) FROM svy_responses WHERE respondent LIKE '%13800138000%'`); err != nil {
			t.Fatal(err)
		}
		if raw != 0 || testserver.Count(t, s.DB, "svy_responses") != 2 {
			t.Errorf("raw identifiers stored: %d; responses %d", raw, testserver.Count(t, s.DB, "svy_responses"))
		}
	}, withSecret)
}
