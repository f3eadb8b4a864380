package survey_test

import (
	"context"
	"net/http"
	"testing"

	surveyv1 "github.com/wenming/wenming/gen/go/wenming/survey/v1"
	"github.com/wenming/wenming/internal/auth"
	"github.com/wenming/wenming/internal/demo"
	"github.com/wenming/wenming/internal/rpc"
	"github.com/wenming/wenming/internal/store/storetest"
	"github.com/wenming/wenming/internal/testserver"
)

func TestDemoHasAQuestionnaireCampaignWithResponsesAcrossStrata(t *testing.T) {
	t.Parallel()
	s := testserver.Start(t, storetest.SQLite(t))
	keys, err := demo.Load(context.Background(), rpc.Deps{DB: s.DB})
	if err != nil {
		t.Fatal(err)
	}
	if keys.SurveyCode == "" || keys.SurveyCampaignID == "" {
		t.Fatalf("no demo campaign in %+v", keys)
	}
	form := s.DoKey(t, "", http.MethodGet, "/v1/surveyForms/"+keys.SurveyCode, nil)
	if form.Status != http.StatusOK {
		t.Fatalf("form: %d %s", form.Status, form.Body)
	}
	var questions int
	for _, sec := range form.JSON(t)["questionnaire"].(map[string]any)["content"].(map[string]any)["sections"].([]any) {
		questions += len(sec.(map[string]any)["questions"].([]any))
	}
	if questions < 12 {
		t.Errorf("demo questionnaire has %d questions, want at least 12", questions)
	}
	var strata int
	if err := s.DB.R.Get(&strata, `SELECT COUNT(DISTINCT stratum) FROM svy_responses`); err != nil {
		t.Fatal(err)
	}
	res, err := surveyv1.NewResultServiceClient(s.Conn).GetResults(s.Ctx(auth.Analyst),
		&surveyv1.GetResultsRequest{CampaignId: keys.SurveyCampaignID})
	if err != nil {
		t.Fatal(err)
	}
	if res.GetResponses() < 300 || strata < 15 || res.GetWeighting() != surveyv1.Weighting_WEIGHTING_CELL || res.GetDesignEffect() <= 1 {
		t.Errorf("demo: %d responses in %d strata, weighting %v, deff %v", res.GetResponses(), strata, res.GetWeighting(), res.GetDesignEffect())
	}
	// Loading again adds nothing.
	if _, err := demo.Load(context.Background(), rpc.Deps{DB: s.DB}); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := s.DB.R.Get(&n, `SELECT COUNT(*) FROM svy_responses`); err != nil || int32(n) != res.GetResponses() {
		t.Errorf("after a second load: %d responses (%v), want %d", n, err, res.GetResponses())
	}
}
