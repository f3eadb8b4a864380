package supervision_test

import (
	"bytes"
	"encoding/csv"
	"math"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"google.golang.org/grpc/codes"

	civindexv1 "github.com/wenming/wenming/gen/go/wenming/civindex/v1"
	"github.com/wenming/wenming/internal/apierr"
	"github.com/wenming/wenming/internal/auth"
	"github.com/wenming/wenming/internal/testserver"
)

// A published 2026 scorecard over one official round, worked by hand
// (weights 40/20/15/15/10; no ratings, cases or quiz attempts in the
// database, so satisfaction is the prior 3 → share .5, cases count as 1):
//
//	U1: street1 scores 50 (A1 fails) → 20; satisfaction 10; cases 15;
//	    its one task (A1) is open → 0; quiz 0 of a target of 10 → 0; total 45
//	U2: street4 scores 100 → 40; 10; 15; no task → 15; no target → 10; total 90
func TestAnnualAssessmentFromThePublishedScorecard(t *testing.T) {
	t.Parallel()
	testserver.Each(t, func(t *testing.T, s *testserver.Server) {
		w := setUp(t, s)
		admin := s.Ctx(auth.Admin)
		dept := department(t, s, "一号单位")
		if _, err := w.sup.SetUnit(admin, &civindexv1.SetUnitRequest{Unit: &civindexv1.Unit{
			Name: "U1", DepartmentId: dept, Communities: []string{"和平社区"}, QuizTarget: 10}}); err != nil {
			t.Fatal(err)
		}
		r := w.round(t, civindexv1.RoundKind_ROUND_KIND_OFFICIAL, 1, "street1", "street4")
		w.inspect(t, r, "street1", false, true)
		w.inspect(t, r, "street4", true, true)
		w.closeRound(t, r)

		create := &civindexv1.CreateScorecardRequest{Year: 2026, RequestId: "sc-1", Weights: &civindexv1.ScorecardWeights{
			Civility: 40, Satisfaction: 20, CasesInTime: 15, Rectification: 15, Quiz: 10}}
		sc, err := w.sup.CreateScorecard(admin, create)
		if err != nil || sc.GetScorecard().GetVersion() != 1 || sc.GetScorecard().GetPriorWeight() != 10 {
			t.Fatalf("create: %v, %v", sc, err)
		}
		if again, err := w.sup.CreateScorecard(admin, create); err != nil || again.GetScorecard().GetVersion() != 1 {
			t.Fatalf("retried create: %v, %v", again, err)
		}
		_, err = w.sup.GetAssessment(s.Ctx(auth.Analyst), &civindexv1.GetAssessmentRequest{Year: 2026})
		testserver.WantReason(t, err, codes.FailedPrecondition, apierr.ScorecardNotPublished)
		if _, err := w.sup.PublishScorecard(admin, &civindexv1.PublishScorecardRequest{Year: 2026, Version: 1}); err != nil {
			t.Fatal(err)
		}
		a, err := w.sup.GetAssessment(s.Ctx(auth.Analyst), &civindexv1.GetAssessmentRequest{Year: 2026})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(a.GetFormula(), "文明指数 40分") || len(a.GetUnits()) != 2 {
			t.Fatalf("assessment: %v", a)
		}
		want := map[string]struct {
			rank   int32
			total  float64
			points []float64
			raise  string
		}{
			"U2": {1, 90, []float64{40, 10, 15, 15, 10}, "satisfaction"},
			"U1": {2, 45, []float64{20, 10, 15, 0, 0}, "civility"},
		}
		for _, u := range a.GetUnits() {
			wu := want[u.GetUnit()]
			if u.GetRank() != wu.rank || math.Abs(u.GetTotal()-wu.total) > 1e-9 || u.GetRaiseComponent() != wu.raise {
				t.Errorf("%s: rank %d total %v raise %s, want %+v", u.GetUnit(), u.GetRank(), u.GetTotal(), u.GetRaiseComponent(), wu)
			}
			for i, c := range u.GetComponents() {
				if math.Abs(c.GetPoints()-wu.points[i]) > 1e-9 {
					t.Errorf("%s %s: %v points, want %v (%s)", u.GetUnit(), c.GetComponent(), c.GetPoints(), wu.points[i], c.GetDetail())
				}
			}
		}

		// The officer of U1 sees its own line, ranked among all units.
		officer := testserver.KeyCtx(s.NewKey(t, auth.Officer, dept))
		own, err := w.sup.GetAssessment(officer, &civindexv1.GetAssessmentRequest{Year: 2026})
		if err != nil || len(own.GetUnits()) != 1 || own.GetUnits()[0].GetUnit() != "U1" || own.GetUnits()[0].GetRank() != 2 {
			t.Fatalf("officer's assessment: %v, %v", own, err)
		}
		_, err = w.sup.GetAssessment(officer, &civindexv1.GetAssessmentRequest{Year: 2026, Unit: "U2"})
		testserver.WantReason(t, err, codes.PermissionDenied, apierr.OutOfScope)

		c, err := w.sup.ExportAssessment(s.Ctx(auth.Analyst), &civindexv1.ExportAssessmentRequest{Year: 2026, Format: civindexv1.ExportFormat_EXPORT_FORMAT_CSV})
		if err != nil {
			t.Fatal(err)
		}
		body := c.GetContent()
		if !bytes.HasPrefix(body, []byte("\ufeff")) {
			t.Error("the CSV has no byte-order mark")
		}
		rd := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(body, []byte("\ufeff"))))
		rd.FieldsPerRecord = -1
		recs, err := rd.ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if recs[1][0] != "1" || recs[1][1] != "U2" || recs[1][2] != "90" || recs[2][1] != "U1" || recs[2][2] != "45" ||
			!strings.Contains(recs[len(recs)-1][0], "名次并列") {
			t.Errorf("CSV:\n%s", body)
		}
		x, err := w.sup.ExportAssessment(s.Ctx(auth.Analyst), &civindexv1.ExportAssessmentRequest{Year: 2026, Format: civindexv1.ExportFormat_EXPORT_FORMAT_XLSX})
		if err != nil {
			t.Fatal(err)
		}
		f, err := excelize.OpenReader(bytes.NewReader(x.GetContent()))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if v, _ := f.GetCellValue("考核结果", "C3"); v != "45" {
			t.Errorf("XLSX C3 = %q, want 45", v)
		}
		if v, _ := f.GetCellValue("计算公式", "A1"); !strings.Contains(v, "2026年度考核") {
			t.Errorf("XLSX formula sheet A1 = %q", v)
		}

		// Bad input names the field and writes nothing.
		_, err = w.sup.CreateScorecard(admin, &civindexv1.CreateScorecardRequest{Year: 1900, PriorWeight: -1,
			Weights: &civindexv1.ScorecardWeights{Civility: 50}})
		got := testserver.BadFields(t, err, codes.InvalidArgument)
		testserver.Mentions(t, got, "year", "between 2000 and 2100")
		testserver.Mentions(t, got, "prior_weight", "(0, 10000]")
		testserver.Mentions(t, got, "weights", "add up to 50")
		_, err = w.sup.ExportAssessment(s.Ctx(auth.Analyst), &civindexv1.ExportAssessmentRequest{Year: 2026})
		testserver.Mentions(t, testserver.BadFields(t, err, codes.InvalidArgument), "format", "required")
		list, err := w.sup.ListScorecards(s.Ctx(auth.Analyst), &civindexv1.ListScorecardsRequest{Year: 2026})
		if err != nil || len(list.GetScorecards()) != 1 || list.GetScorecards()[0].GetState() != civindexv1.ScorecardState_SCORECARD_STATE_PUBLISHED {
			t.Errorf("scorecards: %v, %v", list, err)
		}
	})
}
