package survey

import (
	"context"

	"google.golang.org/grpc"
	"google.golang.org/protobuf/proto"

	surveyv1 "github.com/wenming/wenming/gen/go/wenming/survey/v1"
	"github.com/wenming/wenming/internal/apierr"
	"github.com/wenming/wenming/internal/auth"
	"github.com/wenming/wenming/internal/paging"
	"github.com/wenming/wenming/internal/quiz"
	"github.com/wenming/wenming/internal/store"
)

// ResponseHandler serves wenming.survey.v1.ResponseService.
type ResponseHandler struct {
	surveyv1.UnimplementedResponseServiceServer
	svc *Service
}

// Register adds the service to s.
func (h *ResponseHandler) Register(s grpc.ServiceRegistrar) {
	surveyv1.RegisterResponseServiceServer(s, h)
}

// ResponsePolicy: residents answer anonymously (the server's anonymous
// rate limit applies because the rule is Public), at a kiosk, or to an
// interviewer (inspector); analysts read responses.
var ResponsePolicy = auth.Policy{
	surveyv1.ResponseService_SubmitResponse_FullMethodName: auth.Public(auth.Kiosk, auth.Inspector),
	surveyv1.ResponseService_ListResponses_FullMethodName:  auth.Allow(auth.Analyst),
}

const maxAnswers = maxQuestions

// channelOf is the channel a caller answers through: it follows from the
// role, and only an admin (entering paper forms, say) names one.
func channelOf(p auth.Principal, asked surveyv1.Channel, v *apierr.Violations) surveyv1.Channel {
	var role surveyv1.Channel
	switch {
	case p.Anonymous():
		role = surveyv1.Channel_CHANNEL_PUBLIC_LINK
	case p.Role == auth.Kiosk:
		role = surveyv1.Channel_CHANNEL_KIOSK
	case p.Role == auth.Inspector:
		role = surveyv1.Channel_CHANNEL_INTERVIEW
	default:
		if _, ok := surveyv1.Channel_name[int32(asked)]; !ok || asked == surveyv1.Channel_CHANNEL_UNSPECIFIED {
			v.Add("channel", "is required for an admin: PUBLIC_LINK, KIOSK or INTERVIEW")
		}
		return asked
	}
	if asked != surveyv1.Channel_CHANNEL_UNSPECIFIED && asked != role {
		v.Add("channel", "this caller answers through %s; leave channel empty or give that", role)
	}
	return role
}

func (h *ResponseHandler) SubmitResponse(ctx context.Context, req *surveyv1.SubmitResponseRequest) (*surveyv1.SubmitResponseResponse, error) {
	var v apierr.Violations
	switch {
	case req.GetCampaignId() == "" && req.GetCode() == "":
		v.Add("campaign_id", "give the campaign's id or its public code")
	case req.GetCampaignId() != "" && req.GetCode() != "":
		v.Add("code", "give campaign_id or code, not both")
	}
	v.Text("campaign_id", req.GetCampaignId(), 64)
	v.Text("code", req.GetCode(), 64)
	v.RequestID("request_id", req.GetRequestId())
	if len(req.GetAnswers()) > maxAnswers {
		v.Add("answers", "has %d answers; the limit is %d", len(req.GetAnswers()), maxAnswers)
	}
	var norm string
	if raw := req.GetRespondentIdentifier(); raw != "" {
		var ok bool
		if norm, ok = quiz.NormalizeIdentifier(raw); !ok {
			v.Add("respondent_identifier", "must be a phone or resident card number: %d to %d letters and digits",
				quiz.MinIdentifierLen, quiz.MaxIdentifierLen)
		}
	}
	p := auth.FromContext(ctx)
	channel := channelOf(p, req.GetChannel(), &v)
	if err := v.Err(); err != nil {
		return nil, err
	}
	var c Campaign
	var err error
	if req.GetCode() != "" {
		c, err = h.svc.Campaigns.ByCode(ctx, req.GetCode())
	} else {
		c, err = h.svc.Campaigns.Get(ctx, req.GetCampaignId())
	}
	if err != nil {
		return nil, err
	}
	q, err := h.svc.Questionnaires.Get(ctx, c.Content.GetQuestionnaireId(), int(c.Content.GetQuestionnaireVersion()))
	if err != nil {
		return nil, err
	}
	r, err := h.svc.Responses.Check(c, q, channel, req, &v, h.svc.now())
	if err != nil {
		return nil, err
	}
	r.RecordedBy = p.ID()
	if norm != "" {
		if len(h.svc.Responses.key) == 0 {
			return nil, apierr.FailedPrecondition(apierr.NoSecretKey,
				"this server has no secret key (serve --secret-key), so it cannot pseudonymise respondents; leave respondent_identifier out or ask the operator")
		}
		r.Respondent = quiz.Pseudonym(h.svc.Responses.key, c.ID+"\x00"+norm)
	}
	// The request is remembered for retries by its hash: hash the
	// pseudonym, never the raw identifier.
	remembered := proto.Clone(req).(*surveyv1.SubmitResponseRequest)
	remembered.RespondentIdentifier = r.Respondent
	call := store.Call{
		Method: surveyv1.ResponseService_SubmitResponse_FullMethodName, Scope: p.ID(),
		RequestID: req.GetRequestId(), Request: remembered,
	}
	return h.svc.Responses.Submit(ctx, r, c.Content.GetDimensions(), call)
}

func responseToProto(r Response, dims []*surveyv1.Dimension) *surveyv1.Response {
	return &surveyv1.Response{
		Id: r.ID, CampaignId: r.CampaignID, QuestionnaireVersion: int32(r.QuestionnaireVersion), Channel: r.Channel,
		Stratum: stratumMap(dims, r.Stratum), Answers: r.Answers, SubmitTime: stamp(r.SubmitTime), RecordedBy: r.RecordedBy,
	}
}

func (h *ResponseHandler) ListResponses(ctx context.Context, req *surveyv1.ListResponsesRequest) (*surveyv1.ListResponsesResponse, error) {
	var v apierr.Violations
	v.RequiredText("campaign_id", req.GetCampaignId(), 64)
	page := paging.Parse(&v, req.GetPageSize(), req.GetPageToken(), 100, 1000)
	if err := v.Err(); err != nil {
		return nil, err
	}
	c, err := h.svc.Campaigns.Get(ctx, req.GetCampaignId())
	if err != nil {
		return nil, err
	}
	rs, err := h.svc.Responses.List(ctx, c.ID, page.After, page.Size)
	if err != nil {
		return nil, err
	}
	resp := &surveyv1.ListResponsesResponse{}
	conv := func(r Response) *surveyv1.Response { return responseToProto(r, c.Content.GetDimensions()) }
	resp.Responses, resp.NextPageToken = paging.Map(page, rs, conv, func(r Response) string { return r.ID })
	return resp, nil
}
