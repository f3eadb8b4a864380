package civindex

import (
	"strings"
	"testing"

	"github.com/wenming/wenming/internal/apierr"
)

// full is a valid record for sample(): every required item scored.
func full() Record {
	return Record{Results: []Result{
		{ItemID: "A1", Met: true},
		{ItemID: "A2", Compliant: 45, Observed: 50},
		{ItemID: "B1", Violations: 5},
		{ItemID: "B2", Level: "良"},
	}}
}

func TestRecordScoreNamesTheItemOfEveryBadResult(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		change func(r *Record)
		want   map[string]string
	}{
		{"valid", func(*Record) {}, map[string]string{}},
		{"more compliant than observed", func(r *Record) { r.Results[1].Compliant = 51 },
			map[string]string{"results[1].compliant": `item "A2" (行人遵守信号灯): 51 compliant is more than the 50 observed`}},
		{"sample below the item's minimum", func(r *Record) { r.Results[1].Compliant, r.Results[1].Observed = 3, 5 },
			map[string]string{"results[1].observed": `item "A2"`}},
		{"level the item does not have", func(r *Record) { r.Results[3].Level = "极好" },
			map[string]string{"results[3].level": `item "B2" (整洁程度): unknown level "极好"`}},
		{"negative violations", func(r *Record) { r.Results[2].Violations = -1 },
			map[string]string{"results[2].violations": `item "B1"`}},
		{"not applicable without a reason", func(r *Record) { r.Results[0] = Result{ItemID: "A1", NotApplicable: true} },
			map[string]string{"results[0].na_reason": `item "A1"`}},
		{"item not in the framework", func(r *Record) { r.Results = append(r.Results, Result{ItemID: "Z9", Met: true}) },
			map[string]string{"results[4].item_id": `item "Z9" is not in framework F version 1`}},
		{"item given twice", func(r *Record) { r.Results = append(r.Results, Result{ItemID: "A1"}) },
			map[string]string{"results[4].item_id": `item "A1" already has a result at results[0]`}},
		{"required item missing", func(r *Record) { r.Results = r.Results[1:] },
			map[string]string{"results": `required item "A1" (行人走斑马线) has no result`}},
		{"several problems at once", func(r *Record) {
			r.Results[1].Compliant = 60
			r.Results[3].Level = ""
		}, map[string]string{"results[1].compliant": `"A2"`, "results[3].level": `"B2"`}},
	}
	f := Framework{ID: "F", Version: 1, Content: sample()}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := full()
			tt.change(&r)
			var v apierr.Violations
			r.Score(&f, &v)
			wantFields(t, violations(&v), tt.want)
		})
	}
}

func TestRecordScoreFillsPointsAndFloorsDeductions(t *testing.T) {
	t.Parallel()
	f := Framework{ID: "F", Version: 1, Content: sample()}
	r := full()
	r.Results = append(r.Results, Result{ItemID: "B3", NotApplicable: true, NAReason: "无公厕"})
	var v apierr.Violations
	scores := r.Score(&f, &v)
	if v.Len() > 0 {
		t.Fatal(v.Lines())
	}
	// A1 met 10; A2 45/50 × 20 = 18; B1 10 − 5×3 = −5 → floored at 0;
	// B2 良 0.8 × 10 = 8; B3 not applicable.
	want := []float64{10, 18, 0, 8, 0}
	for i, w := range want {
		if !near(r.Results[i].Points, w) {
			t.Errorf("results[%d].points = %v, want %v", i, r.Results[i].Points, w)
		}
	}
	if scores[4].Applicable {
		t.Error("B3 should not be applicable")
	}
	// 36 of 50 applicable points: 72.
	if got := VisitScore(scores); !near(got, 72) {
		t.Errorf("visit score = %v, want 72", got)
	}
}

func TestRecordValidateChecksEvidence(t *testing.T) {
	t.Parallel()
	r := full()
	r.Evidence = []Evidence{
		{URL: "https://img.example.cn/a.jpg", SHA256: strings.Repeat("AB", 32)},
		{URL: "ftp://x/y", SHA256: "abc"},
		{URL: "", SHA256: strings.Repeat("g", 64)},
	}
	r.Normalize()
	var v apierr.Violations
	r.Validate(&v)
	wantFields(t, violations(&v), map[string]string{
		"evidence[1].url": "http(s)", "evidence[1].sha256": "64 hex",
		"evidence[2].url": "http(s)", "evidence[2].sha256": "64 hex",
	})
	if r.Evidence[0].SHA256 != strings.Repeat("ab", 32) {
		t.Errorf("hash not lower-cased: %s", r.Evidence[0].SHA256)
	}
}
