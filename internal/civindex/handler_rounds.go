package civindex

import (
	"context"
	"strings"

	"google.golang.org/grpc"

	civindexv1 "github.com/wenming/wenming/gen/go/wenming/civindex/v1"
	"github.com/wenming/wenming/internal/apierr"
	"github.com/wenming/wenming/internal/auth"
	"github.com/wenming/wenming/internal/paging"
	"github.com/wenming/wenming/internal/store"
)

// roundHandler serves wenming.civindex.v1.RoundService.
type roundHandler struct {
	civindexv1.UnimplementedRoundServiceServer
	svc *Service
}

// Register adds the service to s.
func (h *roundHandler) Register(s grpc.ServiceRegistrar) { civindexv1.RegisterRoundServiceServer(s, h) }

// roundPolicy: admins run rounds; inspectors and analysts read them.
var roundPolicy = auth.Policy{
	civindexv1.RoundService_CreateRound_FullMethodName: auth.AdminOnly(),
	civindexv1.RoundService_OpenRound_FullMethodName:   auth.AdminOnly(),
	civindexv1.RoundService_CloseRound_FullMethodName:  auth.AdminOnly(),
	civindexv1.RoundService_GetRound_FullMethodName:    auth.Allow(auth.Inspector, auth.Analyst),
	civindexv1.RoundService_ListRounds_FullMethodName:  auth.Allow(auth.Inspector, auth.Analyst),
}

func (h *roundHandler) CreateRound(ctx context.Context, req *civindexv1.CreateRoundRequest) (*civindexv1.CreateRoundResponse, error) {
	var v apierr.Violations
	spec := RoundSpec{
		Name: strings.TrimSpace(req.GetName()), Kind: kindFromProto(req.GetKind()),
		FrameworkID: req.GetFrameworkId(), FrameworkVersion: int(req.GetFrameworkVersion()),
		SiteIDs: req.GetSiteIds(),
	}
	if t := req.GetStartTime(); t != nil {
		spec.Start = t.AsTime().UTC()
	}
	if t := req.GetEndTime(); t != nil {
		spec.End = t.AsTime().UTC()
	}
	spec.Validate(&v)
	v.RequestID("request_id", req.GetRequestId())
	if err := v.Err(); err != nil {
		return nil, err
	}
	call := store.Call{
		Method: civindexv1.RoundService_CreateRound_FullMethodName, Scope: auth.FromContext(ctx).ID(),
		RequestID: req.GetRequestId(), Request: req,
	}
	return store.Once(ctx, h.svc.db, call, func(tx *store.Tx) (*civindexv1.CreateRoundResponse, error) {
		r, err := h.svc.Rounds.Create(ctx, tx, spec)
		if err != nil {
			return nil, err
		}
		return &civindexv1.CreateRoundResponse{Round: roundToProto(r)}, nil
	})
}

func (h *roundHandler) transition(ctx context.Context, id, from, to string) (*civindexv1.Round, error) {
	if err := checkID("id", id); err != nil {
		return nil, err
	}
	// Transition reads the whole round, sites included, in its transaction.
	r, err := h.svc.Rounds.Transition(ctx, id, from, to)
	if err != nil {
		return nil, err
	}
	return roundToProto(r), nil
}

func (h *roundHandler) OpenRound(ctx context.Context, req *civindexv1.OpenRoundRequest) (*civindexv1.OpenRoundResponse, error) {
	r, err := h.transition(ctx, req.GetId(), Planned, Open)
	if err != nil {
		return nil, err
	}
	return &civindexv1.OpenRoundResponse{Round: r}, nil
}

func (h *roundHandler) CloseRound(ctx context.Context, req *civindexv1.CloseRoundRequest) (*civindexv1.CloseRoundResponse, error) {
	r, err := h.transition(ctx, req.GetId(), Open, Closed)
	if err != nil {
		return nil, err
	}
	return &civindexv1.CloseRoundResponse{Round: r}, nil
}

func (h *roundHandler) GetRound(ctx context.Context, req *civindexv1.GetRoundRequest) (*civindexv1.GetRoundResponse, error) {
	if err := checkID("id", req.GetId()); err != nil {
		return nil, err
	}
	r, err := h.svc.Rounds.Get(ctx, req.GetId())
	if err != nil {
		return nil, err
	}
	return &civindexv1.GetRoundResponse{Round: roundToProto(r)}, nil
}

func (h *roundHandler) ListRounds(ctx context.Context, req *civindexv1.ListRoundsRequest) (*civindexv1.ListRoundsResponse, error) {
	var v apierr.Violations
	page := paging.Parse(&v, req.GetPageSize(), req.GetPageToken(), 50, 200)
	f := roundFilter{FrameworkID: req.GetFrameworkId()}
	v.Text("framework_id", f.FrameworkID, 64)
	if s := req.GetState(); s != civindexv1.RoundState_ROUND_STATE_UNSPECIFIED {
		if f.State = roundStateFromProto(s); f.State == "" {
			v.Add("state", "unknown state %d", s)
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	rounds, err := h.svc.Rounds.List(ctx, f, page.After, page.Size)
	if err != nil {
		return nil, err
	}
	resp := &civindexv1.ListRoundsResponse{}
	resp.Rounds, resp.NextPageToken = paging.Map(page, rounds, roundToProto, func(r Round) string { return r.ID })
	return resp, nil
}
