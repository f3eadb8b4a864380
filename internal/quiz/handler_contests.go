package quiz

import (
	"context"

	"google.golang.org/grpc"

	quizv1 "github.com/wenming/wenming/gen/go/wenming/quiz/v1"
	"github.com/wenming/wenming/internal/apierr"
	"github.com/wenming/wenming/internal/auth"
	"github.com/wenming/wenming/internal/paging"
	"github.com/wenming/wenming/internal/store"
)

// contestHandler serves wenming.quiz.v1.ContestService.
type contestHandler struct {
	quizv1.UnimplementedContestServiceServer
	svc *Service
}

// Register adds the service to s.
func (h *contestHandler) Register(s grpc.ServiceRegistrar) { quizv1.RegisterContestServiceServer(s, h) }

// contestPolicy: organisers (admin) write contests; analysts read them.
// Kiosks see open contests through PlayService.
var contestPolicy = auth.Policy{
	quizv1.ContestService_CreateContest_FullMethodName:  auth.AdminOnly(),
	quizv1.ContestService_UpdateContest_FullMethodName:  auth.AdminOnly(),
	quizv1.ContestService_PublishContest_FullMethodName: auth.AdminOnly(),
	quizv1.ContestService_CloseContest_FullMethodName:   auth.AdminOnly(),
	quizv1.ContestService_GetContest_FullMethodName:     auth.Allow(auth.Analyst),
	quizv1.ContestService_ListContests_FullMethodName:   auth.Allow(auth.Analyst),
}

func validSettings(p *quizv1.ContestSettings, field string, v *apierr.Violations) Settings {
	if p == nil {
		v.Add(field, "is required")
		return Settings{}
	}
	s, exact := settingsFromProto(p)
	if !exact {
		v.Add(field+".points_per_question", "may have at most 2 decimals")
	}
	s.Normalize()
	s.Validate(v, field+".")
	return s
}

func (h *contestHandler) CreateContest(ctx context.Context, req *quizv1.CreateContestRequest) (*quizv1.CreateContestResponse, error) {
	var v apierr.Violations
	s := validSettings(req.GetContest(), "contest", &v)
	v.RequestID("request_id", req.GetRequestId())
	if err := v.Err(); err != nil {
		return nil, err
	}
	call := store.Call{
		Method: quizv1.ContestService_CreateContest_FullMethodName, Scope: auth.FromContext(ctx).ID(),
		RequestID: req.GetRequestId(), Request: req,
	}
	return store.Once(ctx, h.svc.db, call, func(tx *store.Tx) (*quizv1.CreateContestResponse, error) {
		c, err := h.svc.contests.Create(ctx, tx, s)
		if err != nil {
			return nil, err
		}
		return &quizv1.CreateContestResponse{Contest: contestToProto(c)}, nil
	})
}

func (h *contestHandler) UpdateContest(ctx context.Context, req *quizv1.UpdateContestRequest) (*quizv1.UpdateContestResponse, error) {
	var v apierr.Violations
	requireID(&v, req.GetId())
	s := validSettings(req.GetContest(), "contest", &v)
	if err := v.Err(); err != nil {
		return nil, err
	}
	c, err := h.svc.contests.Update(ctx, req.GetId(), s)
	if err != nil {
		return nil, err
	}
	return &quizv1.UpdateContestResponse{Contest: contestToProto(c)}, nil
}

func (h *contestHandler) PublishContest(ctx context.Context, req *quizv1.PublishContestRequest) (*quizv1.PublishContestResponse, error) {
	if err := checkID("id", req.GetId()); err != nil {
		return nil, err
	}
	c, err := h.svc.contests.Publish(ctx, req.GetId())
	if err != nil {
		return nil, err
	}
	return &quizv1.PublishContestResponse{Contest: contestToProto(c)}, nil
}

func (h *contestHandler) CloseContest(ctx context.Context, req *quizv1.CloseContestRequest) (*quizv1.CloseContestResponse, error) {
	if err := checkID("id", req.GetId()); err != nil {
		return nil, err
	}
	c, err := h.svc.contests.Close(ctx, req.GetId())
	if err != nil {
		return nil, err
	}
	return &quizv1.CloseContestResponse{Contest: contestToProto(c)}, nil
}

func (h *contestHandler) GetContest(ctx context.Context, req *quizv1.GetContestRequest) (*quizv1.GetContestResponse, error) {
	if err := checkID("id", req.GetId()); err != nil {
		return nil, err
	}
	c, err := h.svc.contests.Get(ctx, req.GetId())
	if err != nil {
		return nil, err
	}
	return &quizv1.GetContestResponse{Contest: contestToProto(c)}, nil
}

func (h *contestHandler) ListContests(ctx context.Context, req *quizv1.ListContestsRequest) (*quizv1.ListContestsResponse, error) {
	var v apierr.Violations
	page := paging.Parse(&v, req.GetPageSize(), req.GetPageToken(), 50, 200)
	state, ok := contestStateFromProto(req.GetState())
	if !ok {
		v.Add("state", "unknown contest state %d", req.GetState())
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	cs, err := h.svc.contests.List(ctx, state, page.After, page.Size)
	if err != nil {
		return nil, err
	}
	resp := &quizv1.ListContestsResponse{}
	resp.Contests, resp.NextPageToken = paging.Map(page, cs, contestToProto, func(c contest) string { return c.ID })
	return resp, nil
}
