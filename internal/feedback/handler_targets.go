package feedback

import (
	"context"

	"google.golang.org/grpc"

	feedbackv1 "github.com/wenming/wenming/gen/go/wenming/feedback/v1"
	"github.com/wenming/wenming/internal/apierr"
	"github.com/wenming/wenming/internal/auth"
	"github.com/wenming/wenming/internal/paging"
	"github.com/wenming/wenming/internal/store"
)

// targetHandler serves wenming.feedback.v1.TargetService.
type targetHandler struct {
	feedbackv1.UnimplementedTargetServiceServer
	svc *Service
}

// Register adds the service to s.
func (h *targetHandler) Register(s grpc.ServiceRegistrar) {
	feedbackv1.RegisterTargetServiceServer(s, h)
}

// targetPolicy: admins manage targets; analysts and officers read them.
var targetPolicy = auth.Policy{
	feedbackv1.TargetService_CreateTarget_FullMethodName:     auth.AdminOnly(),
	feedbackv1.TargetService_UpdateTarget_FullMethodName:     auth.AdminOnly(),
	feedbackv1.TargetService_DeactivateTarget_FullMethodName: auth.AdminOnly(),
	feedbackv1.TargetService_GetTarget_FullMethodName:        auth.Allow(auth.Analyst, auth.Officer),
	feedbackv1.TargetService_ListTargets_FullMethodName:      auth.Allow(auth.Analyst, auth.Officer),
	// Posters are printed by admins: a poster puts a page in front of the
	// public, which is managing targets.
	feedbackv1.TargetService_ListPosterTargets_FullMethodName: auth.AdminOnly(),
}

func requireID(v *apierr.Violations, field, id string) { v.RequiredText(field, id, maxIDLen) }

// checkID validates a request whose only input to check is the id in
// field, for handlers that then just look it up or act on it.
func checkID(field, id string) error {
	var v apierr.Violations
	requireID(&v, field, id)
	return v.Err()
}

func kindFromProto(v *apierr.Violations, field string, k feedbackv1.TargetKind, required bool) Kind {
	if k == feedbackv1.TargetKind_TARGET_KIND_UNSPECIFIED {
		if required {
			v.Add(field, "is required: DEPARTMENT, WINDOW, STAFF or SERVICE_ITEM")
		}
		return ""
	}
	kind, ok := kindNames[k]
	if !ok {
		v.Add(field, "unknown target kind %d", k)
	}
	return kind
}

func (h *targetHandler) CreateTarget(ctx context.Context, req *feedbackv1.CreateTargetRequest) (*feedbackv1.CreateTargetResponse, error) {
	var v apierr.Violations
	in := TargetInput{
		Kind: kindFromProto(&v, "kind", req.GetKind(), true), Name: req.GetName(),
		ParentID: req.GetParentId(), Form: formFromProto(req.GetForm()),
	}
	in.Normalize()
	if in.Kind != "" {
		in.Validate(&v, "")
	} else {
		v.RequiredText("name", in.Name, maxNameLen)
		in.Form.Validate(&v, "form.")
	}
	v.RequestID("request_id", req.GetRequestId())
	if err := v.Err(); err != nil {
		return nil, err
	}
	call := store.Call{
		Method: feedbackv1.TargetService_CreateTarget_FullMethodName, Scope: auth.FromContext(ctx).ID(),
		RequestID: req.GetRequestId(), Request: req,
	}
	return store.Once(ctx, h.svc.db, call, func(tx *store.Tx) (*feedbackv1.CreateTargetResponse, error) {
		t, err := h.svc.CreateTarget(ctx, tx, in)
		if err != nil {
			return nil, err
		}
		return &feedbackv1.CreateTargetResponse{Target: targetToProto(t)}, nil
	})
}

func (h *targetHandler) GetTarget(ctx context.Context, req *feedbackv1.GetTargetRequest) (*feedbackv1.GetTargetResponse, error) {
	if err := checkID("id", req.GetId()); err != nil {
		return nil, err
	}
	t, err := h.svc.GetTarget(ctx, h.svc.db.R, req.GetId())
	if err != nil {
		return nil, err
	}
	return &feedbackv1.GetTargetResponse{Target: targetToProto(t)}, nil
}

func (h *targetHandler) ListTargets(ctx context.Context, req *feedbackv1.ListTargetsRequest) (*feedbackv1.ListTargetsResponse, error) {
	var v apierr.Violations
	page := paging.Parse(&v, req.GetPageSize(), req.GetPageToken(), 100, 500)
	f := TargetFilter{
		Kind: kindFromProto(&v, "kind", req.GetKind(), false), ParentID: req.GetParentId(),
		DepartmentID: req.GetDepartmentId(), IncludeInactive: req.GetIncludeInactive(),
	}
	v.Text("parent_id", f.ParentID, maxIDLen)
	v.Text("department_id", f.DepartmentID, maxIDLen)
	if err := v.Err(); err != nil {
		return nil, err
	}
	ts, err := h.svc.ListTargets(ctx, f, page.After, page.Size)
	if err != nil {
		return nil, err
	}
	resp := &feedbackv1.ListTargetsResponse{}
	resp.Targets, resp.NextPageToken = paging.Map(page, ts, targetToProto, func(t Target) string { return t.ID })
	return resp, nil
}

func (h *targetHandler) UpdateTarget(ctx context.Context, req *feedbackv1.UpdateTargetRequest) (*feedbackv1.UpdateTargetResponse, error) {
	var v apierr.Violations
	requireID(&v, "id", req.GetId())
	in := TargetInput{Name: req.GetName(), Form: formFromProto(req.GetForm())}
	in.Normalize()
	v.RequiredText("name", in.Name, maxNameLen)
	in.Form.Validate(&v, "form.")
	if err := v.Err(); err != nil {
		return nil, err
	}
	t, err := h.svc.UpdateTarget(ctx, req.GetId(), in.Name, in.Form)
	if err != nil {
		return nil, err
	}
	return &feedbackv1.UpdateTargetResponse{Target: targetToProto(t)}, nil
}

func (h *targetHandler) DeactivateTarget(ctx context.Context, req *feedbackv1.DeactivateTargetRequest) (*feedbackv1.DeactivateTargetResponse, error) {
	if err := checkID("id", req.GetId()); err != nil {
		return nil, err
	}
	t, err := h.svc.DeactivateTarget(ctx, req.GetId())
	if err != nil {
		return nil, err
	}
	return &feedbackv1.DeactivateTargetResponse{Target: targetToProto(t)}, nil
}

func (h *targetHandler) ListPosterTargets(ctx context.Context, req *feedbackv1.ListPosterTargetsRequest) (*feedbackv1.ListPosterTargetsResponse, error) {
	if err := checkID("target_id", req.GetTargetId()); err != nil {
		return nil, err
	}
	ps, err := h.svc.PosterTargets(ctx, req.GetTargetId(), req.GetSubtree())
	if err != nil {
		return nil, err
	}
	resp := &feedbackv1.ListPosterTargetsResponse{}
	for _, p := range ps {
		resp.Targets = append(resp.Targets, &feedbackv1.PosterTarget{Target: targetToProto(p.Target), PathNames: p.PathNames})
	}
	return resp, nil
}
