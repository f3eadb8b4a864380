package survey

import (
	"context"

	"google.golang.org/grpc"

	surveyv1 "github.com/wenming/wenming/gen/go/wenming/survey/v1"
	"github.com/wenming/wenming/internal/apierr"
	"github.com/wenming/wenming/internal/auth"
)

// ResultHandler serves wenming.survey.v1.ResultService.
type ResultHandler struct {
	surveyv1.UnimplementedResultServiceServer
	svc *Service
}

// Register adds the service to s.
func (h *ResultHandler) Register(s grpc.ServiceRegistrar) {
	surveyv1.RegisterResultServiceServer(s, h)
}

// ResultPolicy: analysts (and admins) read results and exports.
var ResultPolicy = auth.Policy{
	surveyv1.ResultService_GetResults_FullMethodName:      auth.Allow(auth.Analyst),
	surveyv1.ResultService_ExportResponses_FullMethodName: auth.Allow(auth.Analyst),
	surveyv1.ResultService_ExportResults_FullMethodName:   auth.Allow(auth.Analyst),
}

// load reads a campaign, its questionnaire version and its responses.
func (h *ResultHandler) load(ctx context.Context, id string) (Campaign, Questionnaire, []Response, error) {
	c, err := h.svc.Campaigns.Get(ctx, id)
	if err != nil {
		return Campaign{}, Questionnaire{}, nil, err
	}
	q, err := h.svc.Questionnaires.Get(ctx, c.Content.GetQuestionnaireId(), int(c.Content.GetQuestionnaireVersion()))
	if err != nil {
		return Campaign{}, Questionnaire{}, nil, err
	}
	rs, err := h.svc.Responses.All(ctx, c.ID)
	return c, q, rs, err
}

func (h *ResultHandler) GetResults(ctx context.Context, req *surveyv1.GetResultsRequest) (*surveyv1.GetResultsResponse, error) {
	if err := checkID("campaign_id", req.GetCampaignId()); err != nil {
		return nil, err
	}
	c, q, rs, err := h.load(ctx, req.GetCampaignId())
	if err != nil {
		return nil, err
	}
	return computeResults(c, q.Content, rs), nil
}

func checkExport(id string, f surveyv1.ExportFormat) error {
	var v apierr.Violations
	v.RequiredText("campaign_id", id, 64)
	if f != surveyv1.ExportFormat_EXPORT_FORMAT_CSV && f != surveyv1.ExportFormat_EXPORT_FORMAT_XLSX {
		v.Add("format", "must be CSV or XLSX")
	}
	return v.Err()
}

func (h *ResultHandler) ExportResponses(ctx context.Context, req *surveyv1.ExportResponsesRequest) (*surveyv1.ExportResponsesResponse, error) {
	if err := checkExport(req.GetCampaignId(), req.GetFormat()); err != nil {
		return nil, err
	}
	c, q, rs, err := h.load(ctx, req.GetCampaignId())
	if err != nil {
		return nil, err
	}
	b, ext, ctype, err := responsesTable(c, q.Content, rs).encode(req.GetFormat())
	if err != nil {
		return nil, err
	}
	return &surveyv1.ExportResponsesResponse{Content: b, Filename: "survey-" + c.Code + "-responses." + ext, ContentType: ctype}, nil
}

func (h *ResultHandler) ExportResults(ctx context.Context, req *surveyv1.ExportResultsRequest) (*surveyv1.ExportResultsResponse, error) {
	if err := checkExport(req.GetCampaignId(), req.GetFormat()); err != nil {
		return nil, err
	}
	c, q, rs, err := h.load(ctx, req.GetCampaignId())
	if err != nil {
		return nil, err
	}
	b, ext, ctype, err := resultsTable(computeResults(c, q.Content, rs)).encode(req.GetFormat())
	if err != nil {
		return nil, err
	}
	return &surveyv1.ExportResultsResponse{Content: b, Filename: "survey-" + c.Code + "-results." + ext, ContentType: ctype}, nil
}
