package supervision

import (
	"context"

	civindexv1 "github.com/wenming/wenming/gen/go/wenming/civindex/v1"
	"github.com/wenming/wenming/internal/apierr"
	"github.com/wenming/wenming/internal/auth"
	"github.com/wenming/wenming/internal/civindex"
	"github.com/wenming/wenming/internal/paging"
	"github.com/wenming/wenming/internal/store"
)

func (h *handler) VerifyChain(ctx context.Context, req *civindexv1.VerifyChainRequest) (*civindexv1.VerifyChainResponse, error) {
	if err := checkID("round_id", req.GetRoundId()); err != nil {
		return nil, err
	}
	if _, err := h.svc.Civ.Rounds.Get(ctx, req.GetRoundId()); err != nil {
		return nil, err
	}
	c, err := civindex.VerifyChain(ctx, h.svc.db.R, req.GetRoundId())
	if err != nil {
		return nil, err
	}
	return &civindexv1.VerifyChainResponse{
		Ok: c.OK, Links: c.Links, Head: c.Head, StoredHead: c.Stored.Hash, StoredLength: c.Stored.Length,
		Seq: c.Seq, InspectionId: c.InspectionID, Revision: int32(c.Revision), Problem: c.Problem,
	}, nil
}

func unitToProto(u Unit) *civindexv1.Unit {
	return &civindexv1.Unit{Name: u.Name, DepartmentId: u.DepartmentID, Communities: u.Communities, QuizTarget: int32(u.QuizTarget)}
}

func (h *handler) SetUnit(ctx context.Context, req *civindexv1.SetUnitRequest) (*civindexv1.SetUnitResponse, error) {
	var v apierr.Violations
	p := req.GetUnit()
	if p == nil {
		v.Add("unit", "is required")
		return nil, v.Err()
	}
	u := Unit{Name: p.GetName(), DepartmentID: p.GetDepartmentId(), Communities: append([]string(nil), p.GetCommunities()...),
		QuizTarget: int(p.GetQuizTarget())}
	u.Validate(&v)
	if err := v.Err(); err != nil {
		return nil, err
	}
	out, err := h.svc.SetUnit(ctx, u)
	if err != nil {
		return nil, err
	}
	return &civindexv1.SetUnitResponse{Unit: unitToProto(out)}, nil
}

func (h *handler) ListUnits(ctx context.Context, _ *civindexv1.ListUnitsRequest) (*civindexv1.ListUnitsResponse, error) {
	units, err := h.svc.ListUnits(ctx)
	if err != nil {
		return nil, err
	}
	resp := &civindexv1.ListUnitsResponse{}
	for _, u := range units {
		resp.Units = append(resp.Units, unitToProto(u))
	}
	return resp, nil
}

var taskStates = map[civindexv1.RectificationState]string{
	civindexv1.RectificationState_RECTIFICATION_STATE_OPEN:     TaskOpen,
	civindexv1.RectificationState_RECTIFICATION_STATE_REPORTED: TaskReported,
	civindexv1.RectificationState_RECTIFICATION_STATE_CLOSED:   TaskClosed,
}

func (h *handler) taskToProto(t Task) *civindexv1.RectificationTask {
	out := &civindexv1.RectificationTask{
		Id: t.ID, RoundId: t.RoundID, SiteId: t.SiteID, Unit: t.Unit, ItemId: t.ItemID, DimensionId: t.DimensionID,
		Points: t.Points, MaxPoints: t.MaxPoints, Threshold: t.Threshold,
		OpenTime: ts(t.OpenTime), DueTime: ts(t.DueTime), ReportTime: ts(t.ReportTime), ReportNote: t.ReportNote,
		CloseTime: ts(t.CloseTime), ClosingInspectionId: t.ClosingInspectionID, Overdue: t.Overdue(h.svc.now()),
	}
	for k, s := range taskStates {
		if s == t.State {
			out.State = k
		}
	}
	return out
}

func (h *handler) ListRectificationTasks(ctx context.Context, req *civindexv1.ListRectificationTasksRequest) (*civindexv1.ListRectificationTasksResponse, error) {
	var v apierr.Violations
	page := paging.Parse(&v, req.GetPageSize(), req.GetPageToken(), 50, 500)
	f := TaskFilter{Unit: req.GetUnit(), RoundID: req.GetRoundId(), OverdueOnly: req.GetOverdueOnly()}
	v.Text("unit", f.Unit, 100)
	v.Text("round_id", f.RoundID, 64)
	if s := req.GetState(); s != civindexv1.RectificationState_RECTIFICATION_STATE_UNSPECIFIED {
		if f.State = taskStates[s]; f.State == "" {
			v.Add("state", "unknown state %d", s)
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	tasks, err := h.svc.ListTasks(ctx, auth.FromContext(ctx), f, page.After, page.Size)
	if err != nil {
		return nil, err
	}
	resp := &civindexv1.ListRectificationTasksResponse{}
	resp.Tasks, resp.NextPageToken = paging.Map(page, tasks, h.taskToProto, func(t Task) string { return t.ID })
	h.nameTasks(ctx, resp.Tasks)
	return resp, nil
}

func (h *handler) ReportRectified(ctx context.Context, req *civindexv1.ReportRectifiedRequest) (*civindexv1.ReportRectifiedResponse, error) {
	var v apierr.Violations
	requireID(&v, "id", req.GetId())
	v.Text("note", req.GetNote(), 500)
	v.RequestID("request_id", req.GetRequestId())
	if err := v.Err(); err != nil {
		return nil, err
	}
	p := auth.FromContext(ctx)
	call := store.Call{
		Method: civindexv1.SupervisionService_ReportRectified_FullMethodName, Scope: p.ID(),
		RequestID: req.GetRequestId(), Request: req,
	}
	resp, err := store.Once(ctx, h.svc.db, call, func(tx *store.Tx) (*civindexv1.ReportRectifiedResponse, error) {
		t, err := h.svc.ReportRectified(ctx, tx, p, req.GetId(), req.GetNote())
		if err != nil {
			return nil, err
		}
		return &civindexv1.ReportRectifiedResponse{Task: h.taskToProto(t)}, nil
	})
	if err != nil {
		return nil, err
	}
	h.nameTasks(ctx, []*civindexv1.RectificationTask{resp.GetTask()})
	return resp, nil
}

func (h *handler) GetRectificationSummary(ctx context.Context, req *civindexv1.GetRectificationSummaryRequest) (*civindexv1.GetRectificationSummaryResponse, error) {
	var v apierr.Violations
	v.Text("unit", req.GetUnit(), 100)
	if err := v.Err(); err != nil {
		return nil, err
	}
	rows, err := h.svc.Summary(ctx, auth.FromContext(ctx), req.GetUnit())
	if err != nil {
		return nil, err
	}
	resp := &civindexv1.GetRectificationSummaryResponse{}
	for _, u := range rows {
		resp.Units = append(resp.Units, &civindexv1.UnitRectification{
			Unit: u.Unit, Total: int32(u.Total), Open: int32(u.Open), Reported: int32(u.Reported), Closed: int32(u.Closed),
			ClosedInTime: int32(u.ClosedInTime), Overdue: int32(u.Overdue),
			CompletionRate: u.CompletionRate(), InTimeRate: u.InTimeRate(),
		})
	}
	return resp, nil
}

func (h *handler) GetSelfCheckInflation(ctx context.Context, req *civindexv1.GetSelfCheckInflationRequest) (*civindexv1.GetSelfCheckInflationResponse, error) {
	var v apierr.Violations
	if req.GetStartTime() == nil {
		v.Add("start_time", "is required")
	}
	if req.GetEndTime() == nil {
		v.Add("end_time", "is required")
	} else if req.GetStartTime() != nil && !req.GetEndTime().AsTime().After(req.GetStartTime().AsTime()) {
		v.Add("end_time", "must be after start_time")
	}
	v.Text("unit", req.GetUnit(), 100)
	if err := v.Err(); err != nil {
		return nil, err
	}
	rows, names, err := h.svc.Inflation(ctx, req.GetStartTime().AsTime(), req.GetEndTime().AsTime(), req.GetUnit())
	if err != nil {
		return nil, err
	}
	resp := &civindexv1.GetSelfCheckInflationResponse{}
	for _, r := range rows {
		resp.Inflation = append(resp.Inflation, &civindexv1.Inflation{
			Unit: r.Unit, DimensionId: r.DimensionID, DimensionName: names[r.DimensionID], N: int32(r.N),
			MeanDifference: r.Mean, Ci: &civindexv1.ConfidenceInterval{Low: r.CI.Lo, High: r.CI.Hi},
			SelfMean: r.SelfMean, InspectedMean: r.InspectedMean, Significant: r.Significant, Inflated: r.Inflated,
		})
	}
	return resp, nil
}
