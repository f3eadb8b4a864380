package survey_test

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	surveyv1 "github.com/wenming/wenming/gen/go/wenming/survey/v1"
	"github.com/wenming/wenming/internal/auth"
	"github.com/wenming/wenming/internal/testserver"
)

// The four responses of the hand-worked example in results_test.go, here
// through every channel: three men and one woman, equal population shares.
func TestACampaignRunsFromQuestionnaireToWeightedResults(t *testing.T) {
	t.Parallel()
	testserver.Each(t, func(t *testing.T, s *testserver.Server) {
		w := setUp(t, s)
		camp := w.campaign(t, w.sexCampaign())
		if len(camp.GetCode()) != 8 {
			t.Fatalf("code = %q", camp.GetCode())
		}

		// The public form by code, anonymously, over HTTP.
		form := s.DoKey(t, "", http.MethodGet, "/v1/surveyForms/"+camp.GetCode(), nil)
		if form.Status != http.StatusOK || !strings.Contains(string(form.Body), "您是否知道本市正在创建全国文明城市") {
			t.Fatalf("form: %d %s", form.Status, form.Body)
		}
		if open := form.JSON(t)["open"]; open != true {
			t.Fatalf("form open = %v", open)
		}

		// Anonymous over HTTP, by code.
		anon := s.DoKey(t, "", http.MethodPost, "/v1/surveyResponses", map[string]any{
			"code": camp.GetCode(), "stratum": map[string]string{"sex": "男"},
			"answers": []any{
				map[string]any{"question_id": "Q1", "choices": []string{"A"}},
				map[string]any{"question_id": "Q2", "choices": []string{"tv", "net"}},
				map[string]any{"question_id": "Q3", "value": 5},
			},
		})
		if anon.Status != http.StatusOK {
			t.Fatalf("anonymous response: %d %s", anon.Status, anon.Body)
		}
		// Kiosk, interviewer and anonymous gRPC.
		submit := func(role auth.Role, stratum string, answers ...*surveyv1.Answer) *surveyv1.Response {
			t.Helper()
			resp, err := w.r.SubmitResponse(testserver.KeyCtx(s.Keys[role]), &surveyv1.SubmitResponseRequest{
				CampaignId: camp.GetId(), Stratum: sex(stratum), Answers: answers,
			})
			if err != nil {
				t.Fatalf("%s: %v", role, err)
			}
			return resp.GetResponse()
		}
		k := submit(auth.Kiosk, "男", choice("Q1", "A"), value("Q3", 4), &surveyv1.Answer{QuestionId: "Q7", Text: "=多设垃圾分类点"})
		i := submit(auth.Inspector, "男", choice("Q1", "B"), value("Q3", 3),
			&surveyv1.Answer{QuestionId: "Q5", Matrix: map[string]string{"env": "3", "traffic": "2"}})
		submit("", "女", choice("Q1", "B"), value("Q3", 1), value("Q6", 12))
		if k.GetChannel() != surveyv1.Channel_CHANNEL_KIOSK || i.GetChannel() != surveyv1.Channel_CHANNEL_INTERVIEW || i.GetRecordedBy() == "" {
			t.Errorf("channels: kiosk %v, interview %v by %q", k.GetChannel(), i.GetChannel(), i.GetRecordedBy())
		}

		// Quotas, live.
		quota, err := w.c.GetQuotaProgress(s.Ctx(auth.Inspector), &surveyv1.GetQuotaProgressRequest{CampaignId: camp.GetId()})
		if err != nil {
			t.Fatal(err)
		}
		if quota.GetResponses() != 4 || quota.GetTarget() != 6 || quota.GetCells()[0].GetResponses() != 3 ||
			quota.GetCells()[1].GetResponses() != 1 || quota.GetCells()[0].GetFraction() != 1 {
			t.Errorf("quota = %v", quota)
		}

		// Results: the figures worked by hand in results_test.go.
		res, err := w.results.GetResults(s.Ctx(auth.Analyst), &surveyv1.GetResultsRequest{CampaignId: camp.GetId()})
		if err != nil {
			t.Fatal(err)
		}
		q1 := res.GetQuestions()[0].GetShares()[0]
		near(t, "Q1 A share", q1.GetShare(), 0.5)
		near(t, "Q1 A ci.lo", q1.GetCi().GetLo(), 0.150039)
		near(t, "Q1 A weighted", q1.GetWeighted().GetEstimate(), 1.0/3)
		near(t, "Q1 A deff", q1.GetWeighted().GetDesignEffect(), 4.0/3)
		near(t, "Q1 A n_eff", q1.GetWeighted().GetEffectiveN(), 3)
		near(t, "Q3 mean", res.GetQuestions()[2].GetMean().GetMean(), 3.25)
		near(t, "Q3 ci.hi", res.GetQuestions()[2].GetMean().GetCi().GetHi(), 5.967531)
		near(t, "Q3 weighted mean", res.GetQuestions()[2].GetMean().GetWeighted().GetEstimate(), 2.5)
		// Q2 was answered once (tv and net): shares of respondents.
		if q2 := res.GetQuestions()[1]; q2.GetN() != 1 || q2.GetShares()[0].GetCount() != 1 || q2.GetShares()[2].GetCount() != 0 {
			t.Errorf("Q2 = %v", q2)
		}
		if q5 := res.GetQuestions()[4]; q5.GetRows()[0].GetN() != 1 || q5.GetRows()[0].GetShares()[2].GetCount() != 1 {
			t.Errorf("Q5 = %v", q5)
		}

		// Exports: CSV with a BOM, open text included and defused; XLSX.
		csv, err := w.results.ExportResponses(s.Ctx(auth.Analyst), &surveyv1.ExportResponsesRequest{
			CampaignId: camp.GetId(), Format: surveyv1.ExportFormat_EXPORT_FORMAT_CSV})
		if err != nil {
			t.Fatal(err)
		}
		body := string(csv.GetContent())
		if !strings.HasPrefix(body, "\uFEFFresponse_id,submit_time,channel,sex,Q1,Q2,Q3,Q4,Q5[env],Q5[traffic],Q6,Q7") ||
			!strings.Contains(body, "'=多设垃圾分类点") || strings.Count(body, "\n") != 5 {
			t.Errorf("responses CSV:\n%s", body)
		}
		xlsx, err := w.results.ExportResults(s.Ctx(auth.Analyst), &surveyv1.ExportResultsRequest{
			CampaignId: camp.GetId(), Format: surveyv1.ExportFormat_EXPORT_FORMAT_XLSX})
		if err != nil {
			t.Fatal(err)
		}
		f, err := excelize.OpenReader(bytes.NewReader(xlsx.GetContent()))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		sheet, err := f.GetRows("results")
		if err != nil {
			t.Fatal(err)
		}
		if sheet[0][11] != "weighted" || sheet[1][0] != "Q1" || sheet[1][4] != "A" || sheet[1][7] != "2" {
			t.Errorf("results sheet starts %v / %v", sheet[0], sheet[1])
		}
		if !strings.HasSuffix(xlsx.GetFilename(), ".xlsx") {
			t.Errorf("filename %q", xlsx.GetFilename())
		}
	})
}

func near(t *testing.T, what string, got, want float64) {
	t.Helper()
	if d := got - want; d > 1e-6 || d < -1e-6 {
		t.Errorf("%s = %.10g, want %.10g", what, got, want)
	}
}
