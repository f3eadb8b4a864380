package survey

import (
	"testing"

	surveyv1 "github.com/wenming/wenming/gen/go/wenming/survey/v1"
)

// A worked example of the share a civility-index item reads. One campaign,
// strata community {东湖, 西湖} × sex {男, 女}, each cell a quarter of the
// population; eight respondents answered Q5 (1–5):
//
//	东湖/男: 5            n_h = 1, w = 0.25 · 8 / 1 = 2
//	东湖/女: 4, 2, 1      n_h = 3, w = 0.25 · 8 / 3 = 2/3
//	西湖/男: 5, 5         n_h = 2, w = 1
//	西湖/女: 1, 1         n_h = 2, w = 1
//
// Σw = 8 = n, so the mean weight is already 1. For 东湖 with values {4, 5}
// (满意, 非常满意): N = 4 respondents, chose = 东湖/男's 5 and one 4 of
// 东湖/女, p_w = (2 + 2/3) / (2 + 3 · 2/3) = (8/3) / 4 = 2/3 (unweighted it
// would be 2/4). Kish: deff = 4 · (2² + 3 · (2/3)²) / 4² = 4 · (16/3) / 16
// = 4/3, n_eff = 4 / (4/3) = 3.
func TestLevelShareIsTheWeightedShareOfTheLevel(t *testing.T) {
	c := Campaign{ID: "c1", Content: &surveyv1.CampaignContent{
		Dimensions: []*surveyv1.Dimension{{Name: "community", Levels: []string{"东湖", "西湖"}}, {Name: "sex", Levels: []string{"男", "女"}}},
	}}
	for _, st := range []map[string]string{
		{"community": "东湖", "sex": "男"}, {"community": "东湖", "sex": "女"},
		{"community": "西湖", "sex": "男"}, {"community": "西湖", "sex": "女"},
	} {
		c.Content.Cells = append(c.Content.Cells, &surveyv1.Cell{Stratum: st, PopulationShare: 0.25})
	}
	var rs []Response
	add := func(stratum string, v float64) {
		rs = append(rs, Response{Stratum: stratum, Answers: []*surveyv1.Answer{{QuestionId: "Q1", Choices: []string{"A"}}, {QuestionId: "Q5", Value: &v}}})
	}
	add("东湖/男", 5)
	add("东湖/女", 4)
	add("东湖/女", 2)
	add("东湖/女", 1)
	add("西湖/男", 5)
	add("西湖/男", 5)
	add("西湖/女", 1)
	add("西湖/女", 1)
	q := ShareQuery{QuestionID: "Q5", Values: []string{"4", "5"}, Dimension: "community", Level: "东湖"}
	got := levelShare([]campaignResponses{{Campaign: c, Responses: rs}}, q)
	if got.N != 4 {
		t.Errorf("N = %d, want 4", got.N)
	}
	near(t, "share", got.Share, 2.0/3, 1e-12)
	near(t, "design effect", got.DesignEffect, 4.0/3, 1e-12)
	near(t, "effective n", got.EffectiveN, 3, 1e-12)

	// 西湖: 2 of 4 chose 4 or 5, all weights 1: p = 0.5, deff 1.
	q.Level = "西湖"
	got = levelShare([]campaignResponses{{Campaign: c, Responses: rs}}, q)
	near(t, "西湖 share", got.Share, 0.5, 1e-12)
	near(t, "西湖 deff", got.DesignEffect, 1, 1e-12)

	// A level nobody answered from, and a question nobody answered: N = 0.
	if got := levelShare([]campaignResponses{{Campaign: c, Responses: rs}}, ShareQuery{QuestionID: "Q5", Values: []string{"5"}, Dimension: "community", Level: "南湖"}); got.N != 0 {
		t.Errorf("南湖: %+v", got)
	}
	if got := levelShare([]campaignResponses{{Campaign: c, Responses: rs}}, ShareQuery{QuestionID: "Q9", Values: []string{"5"}, Dimension: "community", Level: "东湖"}); got.N != 0 {
		t.Errorf("Q9: %+v", got)
	}
}
