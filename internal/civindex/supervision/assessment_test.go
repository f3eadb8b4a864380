package supervision

import (
	"math"
	"testing"
)

// The annual assessment worked by hand (docs/supervision.md has the same
// example). Weights: civility 40, satisfaction 20, cases in time 15,
// rectification 15, quiz 10; the year's ratings average 4.0 and the prior
// weight is 10.
//
//	A: sites 80, 90 → index 85 → 40 × .85 = 34
//	   ratings 45 over 10 → (10×4 + 45)/(10+10) = 4.25 → (4.25−1)/4 = .8125 → 16.25
//	   4 of 5 cases in time → .8 → 12; 1 of 2 tasks → .5 → 7.5; 150 of 200 → .75 → 7.5
//	   total 77.25; most to gain: rectification (15 − 7.5 = 7.5)
//	B: site 70 → 28; no ratings → 4.0 → .75 → 15; no cases → 1 → 15;
//	   0 of 1 task → 0; no quiz target → 1 → 10; total 68; raise rectification (15)
//	C: site 95 → 38; ratings 20 over 10 → 3.0 → .5 → 10; 0 of 2 cases → 0;
//	   no task → 15; 50 of 100 → 5; total 68; raise cases_in_time (15)
//
// Ranks: A 1, B and C share 2.
func TestAssessmentWorkedByHand(t *testing.T) {
	w := Weights{CompCivility: 40, CompSatisfaction: 20, CompCasesInTime: 15, CompRectification: 15, CompQuiz: 10}
	if p := w.Check(); len(p) != 0 {
		t.Fatal(p)
	}
	got := Assess([]UnitInputs{
		{Unit: "C", SiteScores: []float64{95}, RatingSum: 20, RatingCount: 10, Cases: 2, Participants: 50, QuizTarget: 100},
		{Unit: "A", SiteScores: []float64{80, 90}, RatingSum: 45, RatingCount: 10, Cases: 5, CasesInTime: 4, Tasks: 2, TasksInTime: 1,
			Participants: 150, QuizTarget: 200},
		{Unit: "B", SiteScores: []float64{70}, Tasks: 1},
	}, w, 4.0, 10)
	want := []struct {
		unit   string
		rank   int
		total  float64
		points []float64
		raise  string
		gain   float64
	}{
		{"A", 1, 77.25, []float64{34, 16.25, 12, 7.5, 7.5}, CompRectification, 7.5},
		{"B", 2, 68, []float64{28, 15, 15, 0, 10}, CompRectification, 15},
		{"C", 2, 68, []float64{38, 10, 0, 15, 5}, CompCasesInTime, 15},
	}
	if len(got) != len(want) {
		t.Fatalf("%d results", len(got))
	}
	for i, wu := range want {
		g := got[i]
		if g.Unit != wu.unit || g.Rank != wu.rank || math.Abs(g.Total-wu.total) > 1e-9 || g.Raise != wu.raise || math.Abs(g.Gain-wu.gain) > 1e-9 {
			t.Errorf("line %d: %s rank %d total %v raise %s %v; want %+v", i, g.Unit, g.Rank, g.Total, g.Raise, g.Gain, wu)
		}
		for j, p := range wu.points {
			if math.Abs(g.Components[j].Points-p) > 1e-9 {
				t.Errorf("%s %s: %v points, want %v", g.Unit, g.Components[j].ID, g.Components[j].Points, p)
			}
		}
	}
	if v := got[0].Components[1].Value; math.Abs(v-4.25) > 1e-12 {
		t.Errorf("A's satisfaction %v, want 4.25", v)
	}
}

func TestWeightsMustAddUpTo100(t *testing.T) {
	if p := (Weights{CompCivility: 50, CompQuiz: 40}).Check(); len(p) != 1 {
		t.Errorf("90 points: %v", p)
	}
	if p := (Weights{CompCivility: 110, CompQuiz: -10}).Check(); len(p) != 1 {
		t.Errorf("a negative weight: %v", p)
	}
}

// Each component says in Chinese what it was computed from, as the console
// and the exports print it.
func TestComponentDetailsSayWhatWasCounted(t *testing.T) {
	u := UnitInputs{SiteScores: []float64{80, 90}, RatingCount: 2, RatingSum: 9,
		Cases: 5, CasesInTime: 4, Participants: 30, QuizTarget: 100}
	for _, c := range []struct{ id, want string }{
		{CompCivility, "2 个站点测评结果，均分 85.00"},
		{CompSatisfaction, "2 条评价，总分 9；先验均值 3.0000，权重 10"},
		{CompCasesInTime, "5 件差评中按时办结 4 件"},
		{CompRectification, "当年没有应办的整改任务，按 1 计"},
		{CompQuiz, "参与 30 人，目标 100 人"},
	} {
		if got := component(c.id, u, 3, 10).Detail; got != c.want {
			t.Errorf("%s: detail %q, want %q", c.id, got, c.want)
		}
	}
	u.Tasks, u.TasksInTime = 3, 2
	if got := component(CompRectification, u, 3, 10).Detail; got != "3 项整改任务中按时完成 2 项" {
		t.Errorf("rectification detail %q", got)
	}
}
