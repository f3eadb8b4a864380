package supervision

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/timestamppb"

	civindexv1 "github.com/wenming/wenming/gen/go/wenming/civindex/v1"
	"github.com/wenming/wenming/internal/apierr"
	"github.com/wenming/wenming/internal/auth"
	"github.com/wenming/wenming/internal/paging"
	"github.com/wenming/wenming/internal/store"
)

// handler serves wenming.civindex.v1.SupervisionService.
type handler struct {
	civindexv1.UnimplementedSupervisionServiceServer
	svc *Service
}

// Register adds the service to s.
func (h *handler) Register(s grpc.ServiceRegistrar) {
	civindexv1.RegisterSupervisionServiceServer(s, h)
}

// policy: admins commit and reveal draws, register units and create and
// publish scorecards; analysts read everything; officers read their own
// unit's tasks and assessment and report tasks rectified; inspectors list
// the tasks awaiting re-inspection.
var policy = auth.Policy{
	civindexv1.SupervisionService_CommitDraw_FullMethodName:              auth.AdminOnly(),
	civindexv1.SupervisionService_RevealDraw_FullMethodName:              auth.AdminOnly(),
	civindexv1.SupervisionService_GetDraw_FullMethodName:                 auth.Allow(auth.Analyst),
	civindexv1.SupervisionService_ListDraws_FullMethodName:               auth.Allow(auth.Analyst),
	civindexv1.SupervisionService_ExportDraw_FullMethodName:              auth.Allow(auth.Analyst),
	civindexv1.SupervisionService_VerifyChain_FullMethodName:             auth.Allow(auth.Analyst),
	civindexv1.SupervisionService_SetUnit_FullMethodName:                 auth.AdminOnly(),
	civindexv1.SupervisionService_ListUnits_FullMethodName:               auth.Allow(auth.Analyst, auth.Officer),
	civindexv1.SupervisionService_ListRectificationTasks_FullMethodName:  auth.Allow(auth.Analyst, auth.Officer, auth.Inspector),
	civindexv1.SupervisionService_ReportRectified_FullMethodName:         auth.Allow(auth.Officer),
	civindexv1.SupervisionService_GetRectificationSummary_FullMethodName: auth.Allow(auth.Analyst, auth.Officer),
	civindexv1.SupervisionService_CreateScorecard_FullMethodName:         auth.AdminOnly(),
	civindexv1.SupervisionService_PublishScorecard_FullMethodName:        auth.AdminOnly(),
	civindexv1.SupervisionService_ListScorecards_FullMethodName:          auth.Allow(auth.Analyst, auth.Officer),
	civindexv1.SupervisionService_GetAssessment_FullMethodName:           auth.Allow(auth.Analyst, auth.Officer),
	civindexv1.SupervisionService_ExportAssessment_FullMethodName:        auth.Allow(auth.Analyst, auth.Officer),
	civindexv1.SupervisionService_GetSelfCheckInflation_FullMethodName:   auth.Allow(auth.Analyst),
}

func requireID(v *apierr.Violations, field, id string) { v.RequiredText(field, id, 64) }

func checkID(field, id string) error {
	var v apierr.Violations
	requireID(&v, field, id)
	return v.Err()
}

func strataFromProto(s civindexv1.DrawStrata) string {
	switch s {
	case civindexv1.DrawStrata_DRAW_STRATA_CATEGORY:
		return StrataCategory
	case civindexv1.DrawStrata_DRAW_STRATA_UNIT:
		return StrataUnit
	}
	return ""
}

func strataToProto(s string) civindexv1.DrawStrata {
	switch s {
	case StrataCategory:
		return civindexv1.DrawStrata_DRAW_STRATA_CATEGORY
	case StrataUnit:
		return civindexv1.DrawStrata_DRAW_STRATA_UNIT
	}
	return civindexv1.DrawStrata_DRAW_STRATA_UNSPECIFIED
}

func ts(t time.Time) *timestamppb.Timestamp {
	if t.IsZero() {
		return nil
	}
	return timestamppb.New(t)
}

func drawToProto(d Draw) *civindexv1.Draw {
	out := &civindexv1.Draw{
		Id: d.ID, Name: d.Name, Strata: strataToProto(d.Frame.Strata), Statement: d.Statement,
		FrameSha256: d.FrameSHA256, Commitment: d.Commitment, Seed: d.Seed, Sample: d.Sample, RoundId: d.RoundID,
		CommitTime: ts(d.CommitTime), RevealTime: ts(d.RevealTime),
	}
	switch d.State {
	case Committed:
		out.State = civindexv1.DrawState_DRAW_STATE_COMMITTED
	case Drawn:
		out.State = civindexv1.DrawState_DRAW_STATE_DRAWN
	}
	if d.Statement != "" {
		out.Allocation = &civindexv1.DrawAllocation{Total: int32(d.Frame.Allocation.Total)}
		if len(d.Frame.Allocation.Sizes) > 0 {
			out.Allocation.Sizes = map[string]int32{}
			for k, n := range d.Frame.Allocation.Sizes {
				out.Allocation.Sizes[k] = int32(n)
			}
		}
		for _, s := range d.Frame.Sites {
			out.Frame = append(out.Frame, &civindexv1.FrameSite{SiteId: s.SiteID, Stratum: s.Stratum})
		}
	}
	return out
}

func (h *handler) CommitDraw(ctx context.Context, req *civindexv1.CommitDrawRequest) (*civindexv1.CommitDrawResponse, error) {
	var v apierr.Violations
	spec := DrawSpec{
		Name: strings.TrimSpace(req.GetName()), Strata: strataFromProto(req.GetStrata()), SiteIDs: req.GetSiteIds(),
		Commitment: req.GetCommitment(),
	}
	if a := req.GetAllocation(); a != nil {
		spec.Allocation.Total = int(a.GetTotal())
		if a.GetTotal() < 0 {
			v.Add("allocation.total", "must not be negative")
		}
		if len(a.GetSizes()) > 0 {
			spec.Allocation.Sizes = map[string]int{}
			for k, n := range a.GetSizes() {
				spec.Allocation.Sizes[k] = int(n)
			}
		}
	}
	spec.Validate(&v)
	for i, id := range spec.SiteIDs {
		if id == "" || len(id) > 64 {
			v.Add("site_ids", "site id at %d is empty or too long", i)
		}
	}
	v.RequestID("request_id", req.GetRequestId())
	if err := v.Err(); err != nil {
		return nil, err
	}
	call := store.Call{
		Method: civindexv1.SupervisionService_CommitDraw_FullMethodName, Scope: auth.FromContext(ctx).ID(),
		RequestID: req.GetRequestId(), Request: req,
	}
	return store.Once(ctx, h.svc.db, call, func(tx *store.Tx) (*civindexv1.CommitDrawResponse, error) {
		d, err := h.svc.CommitDraw(ctx, tx, spec)
		if err != nil {
			return nil, err
		}
		return &civindexv1.CommitDrawResponse{Draw: drawToProto(d)}, nil
	})
}

func (h *handler) RevealDraw(ctx context.Context, req *civindexv1.RevealDrawRequest) (*civindexv1.RevealDrawResponse, error) {
	var v apierr.Violations
	requireID(&v, "id", req.GetId())
	if _, err := ParseSeed(req.GetSeed()); err != nil {
		v.Add("seed", "%v", err)
	}
	r := req.GetRound()
	plan := RoundPlan{
		Name: strings.TrimSpace(r.GetName()), FrameworkID: r.GetFrameworkId(), FrameworkVersion: int(r.GetFrameworkVersion()),
	}
	v.RequiredText("round.name", plan.Name, 200)
	v.RequiredText("round.framework_id", plan.FrameworkID, 64)
	if plan.FrameworkVersion <= 0 {
		v.Add("round.framework_version", "must name a published version (1, 2, …)")
	}
	if t := r.GetStartTime(); t != nil {
		plan.Start = t.AsTime().UTC()
	} else {
		v.Add("round.start_time", "is required")
	}
	if t := r.GetEndTime(); t != nil {
		plan.End = t.AsTime().UTC()
	} else {
		v.Add("round.end_time", "is required")
	}
	if !plan.Start.IsZero() && !plan.End.IsZero() && !plan.End.After(plan.Start) {
		v.Add("round.end_time", "must be after start_time")
	}
	v.RequestID("request_id", req.GetRequestId())
	if err := v.Err(); err != nil {
		return nil, err
	}
	call := store.Call{
		Method: civindexv1.SupervisionService_RevealDraw_FullMethodName, Scope: auth.FromContext(ctx).ID(),
		RequestID: req.GetRequestId(), Request: req,
	}
	return store.Once(ctx, h.svc.db, call, func(tx *store.Tx) (*civindexv1.RevealDrawResponse, error) {
		d, err := h.svc.RevealDraw(ctx, tx, req.GetId(), req.GetSeed(), plan)
		if err != nil {
			return nil, err
		}
		return &civindexv1.RevealDrawResponse{Draw: drawToProto(d)}, nil
	})
}

func (h *handler) GetDraw(ctx context.Context, req *civindexv1.GetDrawRequest) (*civindexv1.GetDrawResponse, error) {
	if err := checkID("id", req.GetId()); err != nil {
		return nil, err
	}
	d, err := h.svc.GetDraw(ctx, req.GetId())
	if err != nil {
		return nil, err
	}
	return &civindexv1.GetDrawResponse{Draw: drawToProto(d)}, nil
}

func (h *handler) ListDraws(ctx context.Context, req *civindexv1.ListDrawsRequest) (*civindexv1.ListDrawsResponse, error) {
	var v apierr.Violations
	page := paging.Parse(&v, req.GetPageSize(), req.GetPageToken(), 50, 200)
	if err := v.Err(); err != nil {
		return nil, err
	}
	draws, err := h.svc.ListDraws(ctx, page.After, page.Size)
	if err != nil {
		return nil, err
	}
	resp := &civindexv1.ListDrawsResponse{}
	resp.Draws, resp.NextPageToken = paging.Map(page, draws, drawToProto, func(d Draw) string { return d.ID })
	return resp, nil
}

func (h *handler) ExportDraw(ctx context.Context, req *civindexv1.ExportDrawRequest) (*civindexv1.ExportDrawResponse, error) {
	if err := checkID("id", req.GetId()); err != nil {
		return nil, err
	}
	d, err := h.svc.GetDraw(ctx, req.GetId())
	if err != nil {
		return nil, err
	}
	b, err := json.MarshalIndent(d.Document(), "", "  ")
	if err != nil {
		return nil, err
	}
	return &civindexv1.ExportDrawResponse{Json: string(b) + "\n", Filename: "draw-" + d.ID + ".json"}, nil
}
