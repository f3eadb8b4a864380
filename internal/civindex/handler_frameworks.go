package civindex

import (
	"context"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/status"

	civindexv1 "github.com/wenming/wenming/gen/go/wenming/civindex/v1"
	"github.com/wenming/wenming/internal/apierr"
	"github.com/wenming/wenming/internal/auth"
	"github.com/wenming/wenming/internal/paging"
	"github.com/wenming/wenming/internal/store"
)

// frameworkHandler serves wenming.civindex.v1.FrameworkService.
type frameworkHandler struct {
	civindexv1.UnimplementedFrameworkServiceServer
	svc *Service
}

// Register adds the service to s.
func (h *frameworkHandler) Register(s grpc.ServiceRegistrar) {
	civindexv1.RegisterFrameworkServiceServer(s, h)
}

// frameworkPolicy: admins author frameworks; inspectors need them to
// inspect and analysts to read results.
var frameworkPolicy = auth.Policy{
	civindexv1.FrameworkService_CreateFramework_FullMethodName:     auth.AdminOnly(),
	civindexv1.FrameworkService_UpdateFramework_FullMethodName:     auth.AdminOnly(),
	civindexv1.FrameworkService_ValidateFramework_FullMethodName:   auth.AdminOnly(),
	civindexv1.FrameworkService_PublishFramework_FullMethodName:    auth.AdminOnly(),
	civindexv1.FrameworkService_NewFrameworkVersion_FullMethodName: auth.AdminOnly(),
	civindexv1.FrameworkService_GetFramework_FullMethodName:        auth.Allow(auth.Inspector, auth.Analyst),
	civindexv1.FrameworkService_ListFrameworks_FullMethodName:      auth.Allow(auth.Inspector, auth.Analyst),
}

func requireID(v *apierr.Violations, field, id string) {
	v.RequiredText(field, id, 64)
}

// checkID validates a request whose only input to check is the id in
// field, for handlers that then just look it up or act on it.
func checkID(field, id string) error {
	var v apierr.Violations
	requireID(&v, field, id)
	return v.Err()
}

func draftContent(p *civindexv1.FrameworkContent, v *apierr.Violations) Content {
	if p == nil {
		v.Add("framework", "is required")
		return Content{}
	}
	c := contentFromProto(p)
	c.Normalize()
	c.ValidateDraft(v, "framework.")
	return c
}

func (h *frameworkHandler) CreateFramework(ctx context.Context, req *civindexv1.CreateFrameworkRequest) (*civindexv1.CreateFrameworkResponse, error) {
	var v apierr.Violations
	c := draftContent(req.GetFramework(), &v)
	v.RequestID("request_id", req.GetRequestId())
	if err := v.Err(); err != nil {
		return nil, err
	}
	call := store.Call{
		Method: civindexv1.FrameworkService_CreateFramework_FullMethodName, Scope: auth.FromContext(ctx).ID(),
		RequestID: req.GetRequestId(), Request: req,
	}
	return store.Once(ctx, h.svc.db, call, func(tx *store.Tx) (*civindexv1.CreateFrameworkResponse, error) {
		f, err := h.svc.Frameworks.Create(ctx, tx, c)
		if err != nil {
			return nil, err
		}
		return &civindexv1.CreateFrameworkResponse{Framework: frameworkToProto(f)}, nil
	})
}

func (h *frameworkHandler) UpdateFramework(ctx context.Context, req *civindexv1.UpdateFrameworkRequest) (*civindexv1.UpdateFrameworkResponse, error) {
	var v apierr.Violations
	requireID(&v, "id", req.GetId())
	c := draftContent(req.GetFramework(), &v)
	if err := v.Err(); err != nil {
		return nil, err
	}
	f, err := h.svc.Frameworks.Update(ctx, req.GetId(), c)
	if err != nil {
		return nil, err
	}
	return &civindexv1.UpdateFrameworkResponse{Framework: frameworkToProto(f)}, nil
}

func (h *frameworkHandler) ValidateFramework(ctx context.Context, req *civindexv1.ValidateFrameworkRequest) (*civindexv1.ValidateFrameworkResponse, error) {
	var c Content
	prefix := "framework."
	switch {
	case req.GetId() != "" && req.GetFramework() != nil:
		return nil, apierr.Field("framework", "send either id or framework, not both")
	case req.GetId() != "":
		f, err := h.svc.Frameworks.Get(ctx, req.GetId(), 0)
		if err != nil {
			return nil, err
		}
		c = f.Content
	case req.GetFramework() != nil:
		c = contentFromProto(req.GetFramework())
		c.Normalize()
	default:
		return nil, apierr.Field("id", "send the id of a framework or its content in framework")
	}
	var v apierr.Violations
	c.Validate(&v, prefix)
	return &civindexv1.ValidateFrameworkResponse{Valid: v.Len() == 0, Problems: problems(&v)}, nil
}

// problems lists violations as the FieldProblems of a successful
// ValidateFramework answer.
func problems(v *apierr.Violations) []*civindexv1.FieldProblem {
	var out []*civindexv1.FieldProblem
	for _, d := range status.Convert(v.Err()).Details() {
		if br, ok := d.(*errdetails.BadRequest); ok {
			for _, fv := range br.GetFieldViolations() {
				out = append(out, &civindexv1.FieldProblem{Field: fv.GetField(), Description: fv.GetDescription()})
			}
		}
	}
	return out
}

func (h *frameworkHandler) PublishFramework(ctx context.Context, req *civindexv1.PublishFrameworkRequest) (*civindexv1.PublishFrameworkResponse, error) {
	if err := checkID("id", req.GetId()); err != nil {
		return nil, err
	}
	f, err := h.svc.Frameworks.Publish(ctx, req.GetId())
	if err != nil {
		return nil, err
	}
	return &civindexv1.PublishFrameworkResponse{Framework: frameworkToProto(f)}, nil
}

func (h *frameworkHandler) NewFrameworkVersion(ctx context.Context, req *civindexv1.NewFrameworkVersionRequest) (*civindexv1.NewFrameworkVersionResponse, error) {
	var v apierr.Violations
	requireID(&v, "id", req.GetId())
	v.RequestID("request_id", req.GetRequestId())
	if err := v.Err(); err != nil {
		return nil, err
	}
	call := store.Call{
		Method: civindexv1.FrameworkService_NewFrameworkVersion_FullMethodName, Scope: auth.FromContext(ctx).ID(),
		RequestID: req.GetRequestId(), Request: req,
	}
	return store.Once(ctx, h.svc.db, call, func(tx *store.Tx) (*civindexv1.NewFrameworkVersionResponse, error) {
		f, err := h.svc.Frameworks.NewVersion(ctx, tx, req.GetId())
		if err != nil {
			return nil, err
		}
		return &civindexv1.NewFrameworkVersionResponse{Framework: frameworkToProto(f)}, nil
	})
}

func (h *frameworkHandler) GetFramework(ctx context.Context, req *civindexv1.GetFrameworkRequest) (*civindexv1.GetFrameworkResponse, error) {
	var v apierr.Violations
	requireID(&v, "id", req.GetId())
	if req.GetVersion() < 0 {
		v.Add("version", "must not be negative")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	f, err := h.svc.Frameworks.Get(ctx, req.GetId(), int(req.GetVersion()))
	if err != nil {
		return nil, err
	}
	return &civindexv1.GetFrameworkResponse{Framework: frameworkToProto(f)}, nil
}

func (h *frameworkHandler) ListFrameworks(ctx context.Context, req *civindexv1.ListFrameworksRequest) (*civindexv1.ListFrameworksResponse, error) {
	var v apierr.Violations
	page := paging.Parse(&v, req.GetPageSize(), req.GetPageToken(), 50, 200)
	if err := v.Err(); err != nil {
		return nil, err
	}
	fs, err := h.svc.Frameworks.List(ctx, page.After, page.Size)
	if err != nil {
		return nil, err
	}
	resp := &civindexv1.ListFrameworksResponse{}
	resp.Frameworks, resp.NextPageToken = paging.Map(page, fs, frameworkToProto, func(f Framework) string { return f.ID })
	return resp, nil
}
