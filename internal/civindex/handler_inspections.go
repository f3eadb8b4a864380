package civindex

import (
	"context"
	"strings"
	"time"

	"google.golang.org/grpc"

	civindexv1 "github.com/wenming/wenming/gen/go/wenming/civindex/v1"
	"github.com/wenming/wenming/internal/apierr"
	"github.com/wenming/wenming/internal/auth"
	"github.com/wenming/wenming/internal/paging"
	"github.com/wenming/wenming/internal/store"
)

// inspectionHandler serves wenming.civindex.v1.InspectionService.
type inspectionHandler struct {
	civindexv1.UnimplementedInspectionServiceServer
	svc *Service
}

// Register adds the service to s.
func (h *inspectionHandler) Register(s grpc.ServiceRegistrar) {
	civindexv1.RegisterInspectionServiceServer(s, h)
}

// inspectionPolicy: inspectors write inspections, analysts read them.
var inspectionPolicy = auth.Policy{
	civindexv1.InspectionService_SubmitInspection_FullMethodName: auth.Allow(auth.Inspector),
	civindexv1.InspectionService_AmendInspection_FullMethodName:  auth.Allow(auth.Inspector),
	civindexv1.InspectionService_GetInspection_FullMethodName:    auth.Allow(auth.Inspector, auth.Analyst),
	civindexv1.InspectionService_ListInspections_FullMethodName:  auth.Allow(auth.Inspector, auth.Analyst),
}

func validRecord(results []*civindexv1.ItemResult, notes string, evidence []*civindexv1.Evidence, v *apierr.Violations) Record {
	rec := recordFromProto(results, notes, evidence)
	rec.Normalize()
	rec.Validate(v)
	return rec
}

func (h *inspectionHandler) SubmitInspection(ctx context.Context, req *civindexv1.SubmitInspectionRequest) (*civindexv1.SubmitInspectionResponse, error) {
	var v apierr.Violations
	requireID(&v, "round_id", req.GetRoundId())
	requireID(&v, "site_id", req.GetSiteId())
	rec := validRecord(req.GetResults(), req.GetNotes(), req.GetEvidence(), &v)
	var visit time.Time
	if t := req.GetVisitTime(); t != nil {
		if err := t.CheckValid(); err != nil {
			v.Add("visit_time", "is not a valid time")
		} else if visit = t.AsTime().UTC().Truncate(time.Microsecond); visit.After(h.svc.clock().Add(time.Hour)) {
			v.Add("visit_time", "is in the future")
		}
	}
	v.RequestID("request_id", req.GetRequestId())
	if err := v.Err(); err != nil {
		return nil, err
	}
	by := auth.FromContext(ctx)
	call := store.Call{
		Method: civindexv1.InspectionService_SubmitInspection_FullMethodName, Scope: by.ID(),
		RequestID: req.GetRequestId(), Request: req,
	}
	return store.Once(ctx, h.svc.db, call, func(tx *store.Tx) (*civindexv1.SubmitInspectionResponse, error) {
		ins, err := h.svc.Inspections.Submit(ctx, tx, by, req.GetRoundId(), req.GetSiteId(), visit, rec)
		if err != nil {
			return nil, err
		}
		return &civindexv1.SubmitInspectionResponse{Inspection: inspectionToProto(ins)}, nil
	})
}

func (h *inspectionHandler) AmendInspection(ctx context.Context, req *civindexv1.AmendInspectionRequest) (*civindexv1.AmendInspectionResponse, error) {
	var v apierr.Violations
	requireID(&v, "id", req.GetId())
	reason := strings.TrimSpace(req.GetReason())
	v.RequiredText("reason", reason, maxReasonLen)
	rec := validRecord(req.GetResults(), req.GetNotes(), req.GetEvidence(), &v)
	v.RequestID("request_id", req.GetRequestId())
	if err := v.Err(); err != nil {
		return nil, err
	}
	by := auth.FromContext(ctx)
	call := store.Call{
		Method: civindexv1.InspectionService_AmendInspection_FullMethodName, Scope: by.ID(),
		RequestID: req.GetRequestId(), Request: req,
	}
	return store.Once(ctx, h.svc.db, call, func(tx *store.Tx) (*civindexv1.AmendInspectionResponse, error) {
		ins, err := h.svc.Inspections.Amend(ctx, tx, by, req.GetId(), reason, rec)
		if err != nil {
			return nil, err
		}
		return &civindexv1.AmendInspectionResponse{Inspection: inspectionToProto(ins)}, nil
	})
}

func (h *inspectionHandler) GetInspection(ctx context.Context, req *civindexv1.GetInspectionRequest) (*civindexv1.GetInspectionResponse, error) {
	if err := checkID("id", req.GetId()); err != nil {
		return nil, err
	}
	ins, err := h.svc.Inspections.Get(ctx, req.GetId())
	if err != nil {
		return nil, err
	}
	return &civindexv1.GetInspectionResponse{Inspection: inspectionToProto(ins)}, nil
}

func (h *inspectionHandler) ListInspections(ctx context.Context, req *civindexv1.ListInspectionsRequest) (*civindexv1.ListInspectionsResponse, error) {
	var v apierr.Violations
	requireID(&v, "round_id", req.GetRoundId())
	v.Text("site_id", req.GetSiteId(), 64)
	page := paging.Parse(&v, req.GetPageSize(), req.GetPageToken(), 50, 200)
	if err := v.Err(); err != nil {
		return nil, err
	}
	list, err := h.svc.Inspections.List(ctx, req.GetRoundId(), req.GetSiteId(), page.After, page.Size)
	if err != nil {
		return nil, err
	}
	resp := &civindexv1.ListInspectionsResponse{}
	resp.Inspections, resp.NextPageToken = paging.Map(page, list, inspectionToProto, func(ins inspection) string { return ins.ID })
	return resp, nil
}
