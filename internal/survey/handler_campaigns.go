package survey

import (
	"context"
	"sort"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/timestamppb"

	surveyv1 "github.com/wenming/wenming/gen/go/wenming/survey/v1"
	"github.com/wenming/wenming/internal/apierr"
	"github.com/wenming/wenming/internal/auth"
	"github.com/wenming/wenming/internal/paging"
	"github.com/wenming/wenming/internal/store"
)

// CampaignHandler serves wenming.survey.v1.CampaignService.
type CampaignHandler struct {
	surveyv1.UnimplementedCampaignServiceServer
	svc *Service
}

// Register adds the service to s.
func (h *CampaignHandler) Register(s grpc.ServiceRegistrar) {
	surveyv1.RegisterCampaignServiceServer(s, h)
}

// CampaignPolicy: admins run campaigns; anyone may open a campaign's form
// by its public code (it is printed on posters); interviewers and analysts
// follow the quotas.
var CampaignPolicy = auth.Policy{
	surveyv1.CampaignService_CreateCampaign_FullMethodName:   auth.AdminOnly(),
	surveyv1.CampaignService_GetCampaign_FullMethodName:      auth.Allow(auth.Inspector, auth.Kiosk, auth.Analyst),
	surveyv1.CampaignService_ListCampaigns_FullMethodName:    auth.Allow(auth.Inspector, auth.Kiosk, auth.Analyst),
	surveyv1.CampaignService_GetCampaignForm_FullMethodName:  auth.Public(auth.Inspector, auth.Kiosk, auth.Analyst),
	surveyv1.CampaignService_GetQuotaProgress_FullMethodName: auth.Allow(auth.Inspector, auth.Analyst),
}

func campaignToProto(c Campaign) *surveyv1.Campaign {
	return &surveyv1.Campaign{Id: c.ID, Code: c.Code, Content: c.Content, CreateTime: stamp(c.CreateTime)}
}

func (h *CampaignHandler) CreateCampaign(ctx context.Context, req *surveyv1.CreateCampaignRequest) (*surveyv1.CreateCampaignResponse, error) {
	var v apierr.Violations
	if req.GetCampaign() == nil {
		v.Add("campaign", "is required")
	} else {
		validateCampaign(req.GetCampaign(), &v, "campaign.")
	}
	v.RequestID("request_id", req.GetRequestId())
	if err := v.Err(); err != nil {
		return nil, err
	}
	call := store.Call{
		Method: surveyv1.CampaignService_CreateCampaign_FullMethodName, Scope: auth.FromContext(ctx).ID(),
		RequestID: req.GetRequestId(), Request: req,
	}
	return store.Once(ctx, h.svc.db, call, func(tx *store.Tx) (*surveyv1.CreateCampaignResponse, error) {
		c, err := h.svc.Campaigns.Create(ctx, tx, req.GetCampaign())
		if err != nil {
			return nil, err
		}
		return &surveyv1.CreateCampaignResponse{Campaign: campaignToProto(c)}, nil
	})
}

func (h *CampaignHandler) GetCampaign(ctx context.Context, req *surveyv1.GetCampaignRequest) (*surveyv1.GetCampaignResponse, error) {
	if err := checkID("id", req.GetId()); err != nil {
		return nil, err
	}
	c, err := h.svc.Campaigns.Get(ctx, req.GetId())
	if err != nil {
		return nil, err
	}
	return &surveyv1.GetCampaignResponse{Campaign: campaignToProto(c)}, nil
}

func (h *CampaignHandler) ListCampaigns(ctx context.Context, req *surveyv1.ListCampaignsRequest) (*surveyv1.ListCampaignsResponse, error) {
	var v apierr.Violations
	page := paging.Parse(&v, req.GetPageSize(), req.GetPageToken(), 50, 200)
	if err := v.Err(); err != nil {
		return nil, err
	}
	cs, err := h.svc.Campaigns.List(ctx, page.After, page.Size)
	if err != nil {
		return nil, err
	}
	resp := &surveyv1.ListCampaignsResponse{}
	resp.Campaigns, resp.NextPageToken = paging.Map(page, cs, campaignToProto, func(c Campaign) string { return c.ID })
	return resp, nil
}

func (h *CampaignHandler) GetCampaignForm(ctx context.Context, req *surveyv1.GetCampaignFormRequest) (*surveyv1.GetCampaignFormResponse, error) {
	if err := checkID("code", req.GetCode()); err != nil {
		return nil, err
	}
	c, err := h.svc.Campaigns.ByCode(ctx, req.GetCode())
	if err != nil {
		return nil, err
	}
	q, err := h.svc.Questionnaires.Get(ctx, c.Content.GetQuestionnaireId(), int(c.Content.GetQuestionnaireVersion()))
	if err != nil {
		return nil, err
	}
	now := h.svc.now()
	return &surveyv1.GetCampaignFormResponse{
		CampaignId: c.ID, Code: c.Code, Title: c.Content.GetTitle(), Open: isOpen(c, now),
		StartTime: c.Content.GetStartTime(), EndTime: c.Content.GetEndTime(), Channels: c.Content.GetChannels(),
		Dimensions: c.Content.GetDimensions(), Questionnaire: questionnaireToProto(q),
	}, nil
}

func (h *CampaignHandler) GetQuotaProgress(ctx context.Context, req *surveyv1.GetQuotaProgressRequest) (*surveyv1.GetQuotaProgressResponse, error) {
	if err := checkID("campaign_id", req.GetCampaignId()); err != nil {
		return nil, err
	}
	c, err := h.svc.Campaigns.Get(ctx, req.GetCampaignId())
	if err != nil {
		return nil, err
	}
	counts, err := h.svc.Campaigns.Progress(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	return quotaProgress(c.Content, counts), nil
}

// quotaProgress lists every listed cell with its target and count, then
// any other stratum that has responses (a campaign without cells).
func quotaProgress(c *surveyv1.CampaignContent, counts map[string]int) *surveyv1.GetQuotaProgressResponse {
	resp := &surveyv1.GetQuotaProgressResponse{}
	listed := map[string]bool{}
	add := func(key string, target int32) {
		n := int32(counts[key])
		p := &surveyv1.CellProgress{Stratum: stratumMap(c.GetDimensions(), key), Target: target, Responses: n}
		if target > 0 {
			p.Fraction = float64(n) / float64(target)
		}
		resp.Cells = append(resp.Cells, p)
		resp.Responses += n
		resp.Target += target
	}
	for _, cell := range c.GetCells() {
		key, _, _ := stratumKey(c.GetDimensions(), cell.GetStratum())
		listed[key] = true
		add(key, cell.GetTarget())
	}
	var rest []string
	for k := range counts {
		if !listed[k] {
			rest = append(rest, k)
		}
	}
	sort.Strings(rest)
	for _, k := range rest {
		add(k, 0)
	}
	return resp
}

// isOpen reports whether the campaign accepts responses at now.
func isOpen(c Campaign, now time.Time) bool {
	t := store.Micros(now)
	return t >= micros(c.Content.GetStartTime()) && t < micros(c.Content.GetEndTime())
}

func micros(ts *timestamppb.Timestamp) int64 { return store.Micros(ts.AsTime()) }
