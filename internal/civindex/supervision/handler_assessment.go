package supervision

import (
	"context"
	"fmt"

	civindexv1 "github.com/wenming/wenming/gen/go/wenming/civindex/v1"
	"github.com/wenming/wenming/internal/apierr"
	"github.com/wenming/wenming/internal/auth"
	"github.com/wenming/wenming/internal/store"
)

func checkYear(v *apierr.Violations, year int32) {
	if year < 2000 || year > 2100 {
		v.Add("year", "must be a year between 2000 and 2100, got %d", year)
	}
}

func scorecardToProto(sc Scorecard) *civindexv1.Scorecard {
	out := &civindexv1.Scorecard{
		Year: int32(sc.Year), Version: int32(sc.Version), PriorWeight: sc.PriorWeight,
		Weights: &civindexv1.ScorecardWeights{
			Civility: sc.Weights[CompCivility], Satisfaction: sc.Weights[CompSatisfaction], CasesInTime: sc.Weights[CompCasesInTime],
			Rectification: sc.Weights[CompRectification], Quiz: sc.Weights[CompQuiz],
		},
		CreateTime: ts(sc.CreateTime), PublishTime: ts(sc.PublishTime),
	}
	switch sc.State {
	case ScorecardDraft:
		out.State = civindexv1.ScorecardState_SCORECARD_STATE_DRAFT
	case ScorecardPublished:
		out.State = civindexv1.ScorecardState_SCORECARD_STATE_PUBLISHED
	}
	return out
}

func (h *handler) CreateScorecard(ctx context.Context, req *civindexv1.CreateScorecardRequest) (*civindexv1.CreateScorecardResponse, error) {
	var v apierr.Violations
	checkYear(&v, req.GetYear())
	pw := req.GetPriorWeight()
	if pw == 0 {
		pw = DefaultPriorWeight
	}
	if !(pw > 0 && pw <= 10000) {
		v.Add("prior_weight", "must be in (0, 10000], got %v", req.GetPriorWeight())
	}
	pwt := req.GetWeights()
	w := Weights{
		CompCivility: pwt.GetCivility(), CompSatisfaction: pwt.GetSatisfaction(), CompCasesInTime: pwt.GetCasesInTime(),
		CompRectification: pwt.GetRectification(), CompQuiz: pwt.GetQuiz(),
	}
	for _, p := range w.Check() {
		v.Add("weights", "%s", p)
	}
	v.RequestID("request_id", req.GetRequestId())
	if err := v.Err(); err != nil {
		return nil, err
	}
	call := store.Call{
		Method: civindexv1.SupervisionService_CreateScorecard_FullMethodName, Scope: auth.FromContext(ctx).ID(),
		RequestID: req.GetRequestId(), Request: req,
	}
	return store.Once(ctx, h.svc.db, call, func(tx *store.Tx) (*civindexv1.CreateScorecardResponse, error) {
		sc, err := h.svc.CreateScorecard(ctx, tx, int(req.GetYear()), w, pw)
		if err != nil {
			return nil, err
		}
		return &civindexv1.CreateScorecardResponse{Scorecard: scorecardToProto(sc)}, nil
	})
}

func (h *handler) PublishScorecard(ctx context.Context, req *civindexv1.PublishScorecardRequest) (*civindexv1.PublishScorecardResponse, error) {
	var v apierr.Violations
	checkYear(&v, req.GetYear())
	if req.GetVersion() <= 0 {
		v.Add("version", "must name a version (1, 2, …)")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	sc, err := h.svc.PublishScorecard(ctx, int(req.GetYear()), int(req.GetVersion()))
	if err != nil {
		return nil, err
	}
	return &civindexv1.PublishScorecardResponse{Scorecard: scorecardToProto(sc)}, nil
}

func (h *handler) ListScorecards(ctx context.Context, req *civindexv1.ListScorecardsRequest) (*civindexv1.ListScorecardsResponse, error) {
	var v apierr.Violations
	if req.GetYear() != 0 {
		checkYear(&v, req.GetYear())
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	scs, err := h.svc.ListScorecards(ctx, int(req.GetYear()))
	if err != nil {
		return nil, err
	}
	resp := &civindexv1.ListScorecardsResponse{}
	for _, sc := range scs {
		resp.Scorecards = append(resp.Scorecards, scorecardToProto(sc))
	}
	return resp, nil
}

func (h *handler) assess(ctx context.Context, year, version int32, unit string) (Assessment, error) {
	var v apierr.Violations
	checkYear(&v, year)
	if version < 0 {
		v.Add("version", "must not be negative")
	}
	v.Text("unit", unit, 100)
	if err := v.Err(); err != nil {
		return Assessment{}, err
	}
	return h.svc.Assess(ctx, auth.FromContext(ctx), int(year), int(version), unit)
}

func (h *handler) GetAssessment(ctx context.Context, req *civindexv1.GetAssessmentRequest) (*civindexv1.GetAssessmentResponse, error) {
	a, err := h.assess(ctx, req.GetYear(), req.GetVersion(), req.GetUnit())
	if err != nil {
		return nil, err
	}
	resp := &civindexv1.GetAssessmentResponse{Scorecard: scorecardToProto(a.Scorecard), Formula: a.Formula}
	for _, u := range a.Units {
		pu := &civindexv1.UnitAssessment{Unit: u.Unit, Rank: int32(u.Rank), Total: u.Total, RaiseComponent: u.Raise, RaisePoints: u.Gain}
		for _, c := range u.Components {
			pu.Components = append(pu.Components, &civindexv1.ComponentScore{
				Component: c.ID, Value: c.Value, Share: c.Share, Points: c.Points, Weight: c.Weight, Detail: c.Detail,
			})
		}
		resp.Units = append(resp.Units, pu)
	}
	return resp, nil
}

func (h *handler) ExportAssessment(ctx context.Context, req *civindexv1.ExportAssessmentRequest) (*civindexv1.ExportAssessmentResponse, error) {
	if f := req.GetFormat(); f != civindexv1.ExportFormat_EXPORT_FORMAT_CSV && f != civindexv1.ExportFormat_EXPORT_FORMAT_XLSX {
		return nil, apierr.Field("format", "is required: EXPORT_FORMAT_CSV or EXPORT_FORMAT_XLSX")
	}
	a, err := h.assess(ctx, req.GetYear(), req.GetVersion(), req.GetUnit())
	if err != nil {
		return nil, err
	}
	name := fmt.Sprintf("assessment-%d-v%d", a.Scorecard.Year, a.Scorecard.Version)
	if req.GetFormat() == civindexv1.ExportFormat_EXPORT_FORMAT_XLSX {
		b, err := AssessmentXLSX(a)
		if err != nil {
			return nil, err
		}
		return &civindexv1.ExportAssessmentResponse{Content: b, Filename: name + ".xlsx",
			ContentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}, nil
	}
	b, err := AssessmentCSV(a)
	if err != nil {
		return nil, err
	}
	return &civindexv1.ExportAssessmentResponse{Content: b, Filename: name + ".csv", ContentType: "text/csv; charset=utf-8"}, nil
}
