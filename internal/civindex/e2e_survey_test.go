package civindex_test

import (
	"net/http"
	"testing"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/types/known/timestamppb"

	civindexv1 "github.com/wenming/wenming/gen/go/wenming/civindex/v1"
	surveyv1 "github.com/wenming/wenming/gen/go/wenming/survey/v1"
	"github.com/wenming/wenming/internal/auth"
	"github.com/wenming/wenming/internal/testserver"
)

const orderYAML = `title: {zh: 社区公共秩序满意度调查}
sections:
  - id: S1
    title: {zh: 满意度}
    questions:
      - id: Q1
        type: likert5
        text: {zh: 您对本社区的公共秩序是否满意？}
        required: true
`

// A RATE item fed by a questionnaire, worked by hand. Item A3 (D1, max 10,
// min_observed 3) is the weighted share of respondents answering Q1 with 4
// or 5 (满意, 非常满意) among those of the site's community (the campaign's
// "community" level equal to the site's name), responses in the round's
// period. Strata community {S1 人民路, S2 火车站} × sex, each cell a
// quarter of the population; seven respondents:
//
//	S1/男: 5         n_h = 1, w = 0.25 · 7 / 1 = 1.75
//	S1/女: 4, 2, 1   n_h = 3, w = 0.25 · 7 / 3 = 0.58333…
//	S2/男: 5, 5      n_h = 2, w = 0.875
//	S2/女: 1         n_h = 1, w = 1.75
//
// S1: p_w = (1.75 + 0.58333) / (1.75 + 3 · 0.58333) = 2.33333 / 3.5 = 2/3,
// n = 4 ≥ 3, so A3 = 10 · 2/3 = 6.6667. S2: p_w = 1.75 / 3.5 = 1/2, n = 3,
// A3 = 5. S3 has no respondents: A3 is not applicable there.
//
// Inspections: S1 A1 met 10, A2 9/10 → 18, B1 no violation 10, B2 优 10
// (48 of 50); S2 A1 not met 0, A2 10/10 → 20, B1 one violation 7, B2 良 8
// (35 of 50). With A3: S1 = 54.6667 / 60 = 91.1111, S2 = 40 / 60 = 66.6667,
// the round index their mean, 78.8889. S1 is inspected before any response,
// so until the round closes its A3 is not applicable (96); closing the
// round reads the survey again.
func TestASurveyFedItemEntersTheIndex(t *testing.T) {
	t.Parallel()
	testserver.Each(t, func(t *testing.T, s *testserver.Server) {
		w := setUp(t, s)
		admin := s.Ctx(auth.Admin)
		qs := surveyv1.NewQuestionnaireServiceClient(s.Conn)
		imp, err := qs.ImportQuestionnaire(admin, &surveyv1.ImportQuestionnaireRequest{Yaml: orderYAML})
		if err != nil {
			t.Fatal(err)
		}
		qid := imp.GetQuestionnaire().GetId()
		if _, err := qs.PublishQuestionnaire(admin, &surveyv1.PublishQuestionnaireRequest{Id: qid}); err != nil {
			t.Fatal(err)
		}
		now := time.Now()
		camp, err := surveyv1.NewCampaignServiceClient(s.Conn).CreateCampaign(admin, &surveyv1.CreateCampaignRequest{Campaign: &surveyv1.CampaignContent{
			Title: "公共秩序满意度", QuestionnaireId: qid, QuestionnaireVersion: 1,
			StartTime: timestamppb.New(now.Add(-time.Hour)), EndTime: timestamppb.New(now.Add(24 * time.Hour)),
			Channels: []surveyv1.Channel{surveyv1.Channel_CHANNEL_INTERVIEW},
			Dimensions: []*surveyv1.Dimension{
				{Name: "community", Levels: []string{"S1 人民路", "S2 火车站"}}, {Name: "sex", Levels: []string{"男", "女"}},
			},
			Cells: []*surveyv1.Cell{
				{Stratum: map[string]string{"community": "S1 人民路", "sex": "男"}, PopulationShare: 0.25},
				{Stratum: map[string]string{"community": "S1 人民路", "sex": "女"}, PopulationShare: 0.25},
				{Stratum: map[string]string{"community": "S2 火车站", "sex": "男"}, PopulationShare: 0.25},
				{Stratum: map[string]string{"community": "S2 火车站", "sex": "女"}, PopulationShare: 0.25},
			},
		}})
		if err != nil {
			t.Fatal(err)
		}

		// The framework: the scripted one plus A3, fed by Q1.
		fw := frameworkJSON["framework"].(map[string]any)
		d1 := fw["dimensions"].([]any)[0].(map[string]any)
		ind := d1["indicators"].([]any)[0].(map[string]any)
		items := append(append([]any{}, ind["items"].([]any)...), map[string]any{
			"id": "A3", "name": "居民对公共秩序满意", "max_points": 10, "method": "SCORING_METHOD_RATE", "min_observed": 3,
			"survey": map[string]any{"questionnaire_id": qid, "question_id": "Q1", "values": []string{"4", "5"}},
		})
		body := map[string]any{"framework": map[string]any{"name": "含问卷的指标体系", "dimensions": []any{
			map[string]any{"id": "D1", "name": "公共秩序", "indicators": []any{map[string]any{"id": "I1", "name": "交通秩序", "items": items}}},
			fw["dimensions"].([]any)[1],
		}}}
		f := call(t, s, auth.Admin, http.MethodPost, "/v1/frameworks", body, http.StatusOK)
		fid := str(f, "framework", "id")
		call(t, s, auth.Admin, http.MethodPost, "/v1/frameworks/"+fid+":publish", map[string]any{}, http.StatusOK)
		got, err := w.frameworks.GetFramework(admin, &civindexv1.GetFrameworkRequest{Id: fid})
		if err != nil {
			t.Fatal(err)
		}
		if src := got.GetFramework().GetDimensions()[0].GetIndicators()[0].GetItems()[2].GetSurvey(); src.GetQuestionId() != "Q1" || len(src.GetValues()) != 2 {
			t.Fatalf("the published framework lost the survey link: %v", src)
		}
		round := func(start, end time.Time) string {
			r := call(t, s, auth.Admin, http.MethodPost, "/v1/rounds", map[string]any{
				"name": "问卷轮次", "kind": "ROUND_KIND_SPOT_CHECK", "framework_id": fid, "framework_version": 1,
				"start_time": start.UTC().Format(time.RFC3339), "end_time": end.UTC().Format(time.RFC3339),
				"site_ids": []string{w.s1, w.s2, w.s3},
			}, http.StatusOK)
			id := str(r, "round", "id")
			call(t, s, auth.Admin, http.MethodPost, "/v1/rounds/"+id+":open", map[string]any{}, http.StatusOK)
			return id
		}
		current := round(now.Add(-2*time.Hour), now.Add(48*time.Hour))
		january := round(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 1, 28, 0, 0, 0, 0, time.UTC))

		s1 := []*civindexv1.ItemResult{met("A1", true), rate("A2", 9, 10), violations("B1", 0), level("B2", "优")}
		// An inspector does not score the survey-fed item.
		_, err = w.ins.SubmitInspection(s.Ctx(auth.Inspector), &civindexv1.SubmitInspectionRequest{
			RoundId: current, SiteId: w.s1, Results: append(s1, rate("A3", 5, 5))})
		testserver.Mentions(t, testserver.BadFields(t, err, codes.InvalidArgument), "results[4].item_id", "questionnaire")
		w.submit(t, current, w.s1, s1...)
		score := func(round, site string) float64 {
			t.Helper()
			r, err := w.index.GetSiteScore(s.Ctx(auth.Analyst), &civindexv1.GetSiteScoreRequest{RoundId: round, SiteId: site})
			if err != nil {
				t.Fatal(err)
			}
			return r.GetScore().GetScore()
		}
		approx(t, "S1 before any response", score(current, w.s1), 96)

		responses := surveyv1.NewResponseServiceClient(s.Conn)
		for _, r := range []struct {
			community, sex string
			answer         float64
		}{
			{"S1 人民路", "男", 5}, {"S1 人民路", "女", 4}, {"S1 人民路", "女", 2}, {"S1 人民路", "女", 1},
			{"S2 火车站", "男", 5}, {"S2 火车站", "男", 5}, {"S2 火车站", "女", 1},
		} {
			v := r.answer
			if _, err := responses.SubmitResponse(s.Ctx(auth.Inspector), &surveyv1.SubmitResponseRequest{
				CampaignId: camp.GetCampaign().GetId(), Stratum: map[string]string{"community": r.community, "sex": r.sex},
				Answers: []*surveyv1.Answer{{QuestionId: "Q1", Value: &v}},
			}); err != nil {
				t.Fatal(err)
			}
		}
		w.submit(t, current, w.s2, met("A1", false), rate("A2", 10, 10), violations("B1", 1), level("B2", "良"))
		approx(t, "S2 with its survey item", score(current, w.s2), 40.0/60*100)
		approx(t, "S1 until the round closes", score(current, w.s1), 96)
		// The January round's period holds no response: A3 is not applicable.
		w.submit(t, january, w.s1, s1...)
		approx(t, "S1 in January", score(january, w.s1), 96)

		call(t, s, auth.Admin, http.MethodPost, "/v1/rounds/"+current+":close", map[string]any{}, http.StatusOK)
		approx(t, "S1 after the close", score(current, w.s1), (10+18+10+10+10*2.0/3)/60*100)
		ix, err := w.index.GetRoundIndex(s.Ctx(auth.Analyst), &civindexv1.GetRoundIndexRequest{RoundId: current})
		if err != nil {
			t.Fatal(err)
		}
		approx(t, "round index", ix.GetIndex().GetIndex(), ((10+18+10+10+10*2.0/3)/60*100+40.0/60*100)/2)
		if ix.GetIndex().GetN() != 2 {
			t.Errorf("n = %d, want the 2 inspected sites", ix.GetIndex().GetN())
		}
	})
}

// A framework whose survey-fed item names a questionnaire, a question or
// an answer that does not exist is refused at publishing, each problem
// named by its field, and stays a draft; fixed, it publishes.
func TestASurveyLinkThatCannotBeReadIsNotPublished(t *testing.T) {
	t.Parallel()
	testserver.Each(t, func(t *testing.T, s *testserver.Server) {
		admin := s.Ctx(auth.Admin)
		imp, err := surveyv1.NewQuestionnaireServiceClient(s.Conn).ImportQuestionnaire(admin, &surveyv1.ImportQuestionnaireRequest{Yaml: orderYAML})
		if err != nil {
			t.Fatal(err)
		}
		qid := imp.GetQuestionnaire().GetId()
		framework := func(src map[string]any) string {
			item := map[string]any{"id": "A3", "name": "居民对公共秩序满意", "max_points": 10, "method": "SCORING_METHOD_RATE", "survey": src}
			f := call(t, s, auth.Admin, http.MethodPost, "/v1/frameworks", map[string]any{"framework": map[string]any{
				"name": "问卷指标", "dimensions": []any{map[string]any{"id": "D1", "name": "公共秩序", "indicators": []any{
					map[string]any{"id": "I1", "name": "满意度", "items": []any{item}}}}}}}, http.StatusOK)
			return str(f, "framework", "id")
		}
		const field = "framework.dimensions[0].indicators[0].items[0].survey."
		fc := civindexv1.NewFrameworkServiceClient(s.Conn)
		for _, tc := range []struct {
			src         map[string]any
			field, text string
		}{
			{map[string]any{"questionnaire_id": "01a22ab5-0000-7000-8000-000000000000", "question_id": "Q1", "values": []string{"4"}},
				"questionnaire_id", "no questionnaire"},
			{map[string]any{"questionnaire_id": qid, "question_id": "Q9", "values": []string{"4"}}, "question_id", "no question"},
			{map[string]any{"questionnaire_id": qid, "question_id": "Q1", "values": []string{"4", "6"}}, "values[1]", "not a point of LIKERT5"},
		} {
			id := framework(tc.src)
			_, err := fc.PublishFramework(admin, &civindexv1.PublishFrameworkRequest{Id: id})
			testserver.Mentions(t, testserver.BadFields(t, err, codes.FailedPrecondition), field+tc.field, tc.text)
			got, err := fc.GetFramework(admin, &civindexv1.GetFrameworkRequest{Id: id})
			if err != nil || got.GetFramework().GetState() != civindexv1.FrameworkState_FRAMEWORK_STATE_DRAFT {
				t.Errorf("after a refused publish: %v, %v; want a draft", got.GetFramework().GetState(), err)
			}
		}
		ok := framework(map[string]any{"questionnaire_id": qid, "question_id": "Q1", "values": []string{"4", "5"}})
		if _, err := fc.PublishFramework(admin, &civindexv1.PublishFrameworkRequest{Id: ok}); err != nil {
			t.Fatalf("a readable link: %v", err)
		}
	})
}
