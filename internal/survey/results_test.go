package survey

import (
	"testing"

	surveyv1 "github.com/wenming/wenming/gen/go/wenming/survey/v1"
)

// sexCampaign has one dimension, sex, with each sex half the population.
func sexCampaign(shares bool) Campaign {
	c := &surveyv1.CampaignContent{
		Dimensions: []*surveyv1.Dimension{{Name: "sex", Levels: []string{"男", "女"}}},
		Cells: []*surveyv1.Cell{
			{Stratum: map[string]string{"sex": "男"}, Target: 3},
			{Stratum: map[string]string{"sex": "女"}, Target: 3},
		},
	}
	if shares {
		c.Cells[0].PopulationShare, c.Cells[1].PopulationShare = 0.5, 0.5
	}
	return Campaign{ID: "c1", Content: c}
}

func resp(stratum string, answers ...*surveyv1.Answer) Response {
	return Response{Stratum: stratum, Answers: answers}
}

// fourResponses: three men (Q1 A, A, B; Q3 5, 4, 3) and one woman (Q1 B,
// Q3 1), so with equal population shares the woman weighs three men.
func fourResponses() []Response {
	return []Response{
		resp("男", choice("Q1", "A"), value("Q3", 5)),
		resp("男", choice("Q1", "A"), value("Q3", 4), &surveyv1.Answer{QuestionId: "Q7", Text: "好"}),
		resp("男", choice("Q1", "B"), value("Q3", 3)),
		resp("女", choice("Q1", "B"), value("Q3", 1)),
	}
}

func TestResultsByHand(t *testing.T) {
	res := computeResults(sexCampaign(true), town(t), fourResponses())
	if res.GetWeighting() != surveyv1.Weighting_WEIGHTING_CELL || res.GetResponses() != 4 {
		t.Fatalf("weighting %v, responses %d", res.GetWeighting(), res.GetResponses())
	}
	// Weights: 男 0.5·4/3 = 2/3, 女 0.5·4/1 = 2; Σw = 4, Σw² = 3·4/9 + 4 = 16/3;
	// deff = 4·(16/3)/16 = 4/3, n_eff = 16/(16/3) = 3.
	near(t, "deff", res.GetDesignEffect(), 4.0/3, 1e-9)
	near(t, "n_eff", res.GetEffectiveN(), 3, 1e-9)
	byID := map[string]*surveyv1.QuestionResult{}
	for _, q := range res.GetQuestions() {
		byID[q.GetQuestionId()] = q
	}

	q1 := byID["Q1"]
	a := q1.GetShares()[0]
	if q1.GetN() != 4 || a.GetCode() != "A" || a.GetCount() != 2 || a.GetLabel() != "知道" {
		t.Fatalf("Q1 = %v", q1)
	}
	// Share 2/4. Wilson(2, 4), z² = 3.841459: denom = 1 + 3.841459/4 = 1.960365,
	// centre = (0.5 + 3.841459/8)/1.960365 = 0.5,
	// half = 1.959964/1.960365 · √(0.25/4 + 3.841459/64) = 0.349961 → [0.150039, 0.849961].
	near(t, "Q1 A share", a.GetShare(), 0.5, 1e-12)
	near(t, "Q1 A ci.lo", a.GetCi().GetLo(), 0.150039, 1e-6)
	near(t, "Q1 A ci.hi", a.GetCi().GetHi(), 0.849961, 1e-6)
	// Weighted: (2/3 + 2/3)/4 = 1/3, Wilson at n_eff = 3 → [0.061492, 0.792340].
	w := a.GetWeighted()
	near(t, "Q1 A weighted", w.GetEstimate(), 1.0/3, 1e-9)
	near(t, "Q1 A weighted ci.lo", w.GetCi().GetLo(), 0.061492, 1e-6)
	near(t, "Q1 A weighted ci.hi", w.GetCi().GetHi(), 0.792340, 1e-6)
	near(t, "Q1 A deff", w.GetDesignEffect(), 4.0/3, 1e-9)
	near(t, "Q1 A n_eff", w.GetEffectiveN(), 3, 1e-9)

	q3 := byID["Q3"]
	// Mean (5+4+3+1)/4 = 3.25; squared deviations 3.0625 + 0.5625 + 0.0625 +
	// 5.0625 = 8.75, s² = 8.75/3 = 2.916667, se = √(2.916667/4) = 0.853913,
	// t(0.975, 3) = 3.182446, half = 2.717531 → [0.532469, 5.967531].
	m := q3.GetMean()
	near(t, "Q3 mean", m.GetMean(), 3.25, 1e-12)
	near(t, "Q3 ci.lo", m.GetCi().GetLo(), 0.532469, 1e-6)
	near(t, "Q3 ci.hi", m.GetCi().GetHi(), 5.967531, 1e-6)
	// Weighted mean (2/3·12 + 2·1)/4 = 2.5, interval as worked in
	// stats.TestWeightedMeanByHand: [−2.110364, 7.110364].
	near(t, "Q3 weighted", m.GetWeighted().GetEstimate(), 2.5, 1e-12)
	near(t, "Q3 weighted ci.lo", m.GetWeighted().GetCi().GetLo(), -2.110364, 1e-5)
	// Likert shares over 1..5 with the default labels: one answer each at
	// 1, 3, 4 and 5, none at 2.
	if s := q3.GetShares(); len(s) != 5 || s[0].GetLabel() != "非常不满意" || s[0].GetCount() != 1 || s[1].GetCount() != 0 {
		t.Errorf("Q3 shares = %v", s)
	}
	// Cross-tab: the woman alone.
	for _, ct := range q3.GetCrossTabs() {
		if ct.GetLevel() == "女" && (ct.GetN() != 1 || ct.GetMean().GetMean() != 1) {
			t.Errorf("Q3 among women = %v", ct)
		}
		if ct.GetLevel() == "男" && (ct.GetN() != 3 || ct.GetMean().GetMean() != 4) {
			t.Errorf("Q3 among men = %v", ct)
		}
	}
	// Open text is never aggregated: only how many answered.
	if q7 := byID["Q7"]; q7.GetN() != 1 || len(q7.GetShares()) != 0 || q7.GetMean() != nil {
		t.Errorf("Q7 = %v", q7)
	}
	// Q2 was shown to nobody who answered it.
	if q2 := byID["Q2"]; q2.GetN() != 0 || q2.GetShares()[0].GetShare() != 0 {
		t.Errorf("Q2 = %v", q2)
	}
}

func TestWithoutPopulationSharesThereAreNoWeightedFigures(t *testing.T) {
	res := computeResults(sexCampaign(false), town(t), fourResponses())
	if res.GetWeighting() != surveyv1.Weighting_WEIGHTING_NONE || res.GetDesignEffect() != 1 || res.GetEffectiveN() != 4 {
		t.Errorf("weighting %v deff %v n_eff %v", res.GetWeighting(), res.GetDesignEffect(), res.GetEffectiveN())
	}
	if w := res.GetQuestions()[0].GetShares()[0].GetWeighted(); w != nil {
		t.Errorf("weighted figure without population shares: %v", w)
	}
}

func TestRakingUsesTheMargins(t *testing.T) {
	// Two dimensions, margins ½/½ each, counts a1b1 = 2, a1b2 = a2b1 =
	// a2b2 = 1: the table of stats.TestRakeMatchesTheClosedFormOfATwoByTwoTable,
	// whose weights give deff = 1.072330.
	c := Campaign{ID: "c", Content: &surveyv1.CampaignContent{
		Dimensions: []*surveyv1.Dimension{{Name: "a", Levels: []string{"a1", "a2"}}, {Name: "b", Levels: []string{"b1", "b2"}}},
		Margins: []*surveyv1.Margin{
			{Dimension: "a", Level: "a1", PopulationShare: 0.5}, {Dimension: "a", Level: "a2", PopulationShare: 0.5},
			{Dimension: "b", Level: "b1", PopulationShare: 0.5}, {Dimension: "b", Level: "b2", PopulationShare: 0.5},
		},
	}}
	rs := []Response{resp("a1/b1"), resp("a1/b1"), resp("a1/b2"), resp("a2/b1"), resp("a2/b2")}
	res := computeResults(c, town(t), rs)
	if res.GetWeighting() != surveyv1.Weighting_WEIGHTING_RAKING {
		t.Fatalf("weighting = %v", res.GetWeighting())
	}
	near(t, "deff", res.GetDesignEffect(), 1.0723305, 1e-6)
}
