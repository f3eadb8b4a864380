package survey

import (
	"context"
	"strings"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/status"

	surveyv1 "github.com/wenming/wenming/gen/go/wenming/survey/v1"
	"github.com/wenming/wenming/internal/apierr"
	"github.com/wenming/wenming/internal/auth"
	"github.com/wenming/wenming/internal/paging"
	"github.com/wenming/wenming/internal/store"
)

// QuestionnaireHandler serves wenming.survey.v1.QuestionnaireService.
type QuestionnaireHandler struct {
	surveyv1.UnimplementedQuestionnaireServiceServer
	svc *Service
}

// Register adds the service to s.
func (h *QuestionnaireHandler) Register(s grpc.ServiceRegistrar) {
	surveyv1.RegisterQuestionnaireServiceServer(s, h)
}

// QuestionnairePolicy: admins author questionnaires; interviewers and
// kiosks show them and analysts read them beside the results.
var QuestionnairePolicy = auth.Policy{
	surveyv1.QuestionnaireService_CreateQuestionnaire_FullMethodName:     auth.AdminOnly(),
	surveyv1.QuestionnaireService_ImportQuestionnaire_FullMethodName:     auth.AdminOnly(),
	surveyv1.QuestionnaireService_UpdateQuestionnaire_FullMethodName:     auth.AdminOnly(),
	surveyv1.QuestionnaireService_ValidateQuestionnaire_FullMethodName:   auth.AdminOnly(),
	surveyv1.QuestionnaireService_PublishQuestionnaire_FullMethodName:    auth.AdminOnly(),
	surveyv1.QuestionnaireService_NewQuestionnaireVersion_FullMethodName: auth.AdminOnly(),
	surveyv1.QuestionnaireService_GetQuestionnaire_FullMethodName:        auth.Allow(auth.Inspector, auth.Kiosk, auth.Analyst),
	surveyv1.QuestionnaireService_ListQuestionnaires_FullMethodName:      auth.Allow(auth.Inspector, auth.Kiosk, auth.Analyst),
}

// checkID validates a request whose only input is the id in field.
func checkID(field, id string) error {
	var v apierr.Violations
	v.RequiredText(field, id, 64)
	return v.Err()
}

func draftContent(c *surveyv1.QuestionnaireContent, v *apierr.Violations) *surveyv1.QuestionnaireContent {
	if c == nil {
		v.Add("questionnaire", "is required")
		return nil
	}
	normalizeContent(c)
	validateDraft(c, v, "questionnaire.")
	return c
}

func (h *QuestionnaireHandler) CreateQuestionnaire(ctx context.Context, req *surveyv1.CreateQuestionnaireRequest) (*surveyv1.CreateQuestionnaireResponse, error) {
	var v apierr.Violations
	c := draftContent(req.GetQuestionnaire(), &v)
	v.RequestID("request_id", req.GetRequestId())
	if err := v.Err(); err != nil {
		return nil, err
	}
	call := store.Call{
		Method: surveyv1.QuestionnaireService_CreateQuestionnaire_FullMethodName, Scope: auth.FromContext(ctx).ID(),
		RequestID: req.GetRequestId(), Request: req,
	}
	return store.Once(ctx, h.svc.db, call, func(tx *store.Tx) (*surveyv1.CreateQuestionnaireResponse, error) {
		q, err := h.svc.Questionnaires.Create(ctx, tx, c)
		if err != nil {
			return nil, err
		}
		return &surveyv1.CreateQuestionnaireResponse{Questionnaire: questionnaireToProto(q)}, nil
	})
}

func (h *QuestionnaireHandler) ImportQuestionnaire(ctx context.Context, req *surveyv1.ImportQuestionnaireRequest) (*surveyv1.ImportQuestionnaireResponse, error) {
	var v apierr.Violations
	v.Required("yaml", req.GetYaml())
	v.RequestID("request_id", req.GetRequestId())
	if len(req.GetYaml()) > 1<<20 {
		v.Add("yaml", "is %d bytes; the limit is 1 MiB", len(req.GetYaml()))
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	c, err := ParseQuestionnaireYAML(strings.NewReader(req.GetYaml()))
	if err != nil {
		return nil, apierr.Field("yaml", "%v", err)
	}
	call := store.Call{
		Method: surveyv1.QuestionnaireService_ImportQuestionnaire_FullMethodName, Scope: auth.FromContext(ctx).ID(),
		RequestID: req.GetRequestId(), Request: req,
	}
	return store.Once(ctx, h.svc.db, call, func(tx *store.Tx) (*surveyv1.ImportQuestionnaireResponse, error) {
		q, err := h.svc.Questionnaires.Create(ctx, tx, c)
		if err != nil {
			return nil, err
		}
		return &surveyv1.ImportQuestionnaireResponse{Questionnaire: questionnaireToProto(q)}, nil
	})
}

func (h *QuestionnaireHandler) UpdateQuestionnaire(ctx context.Context, req *surveyv1.UpdateQuestionnaireRequest) (*surveyv1.UpdateQuestionnaireResponse, error) {
	var v apierr.Violations
	v.RequiredText("id", req.GetId(), 64)
	c := draftContent(req.GetQuestionnaire(), &v)
	if err := v.Err(); err != nil {
		return nil, err
	}
	q, err := h.svc.Questionnaires.Update(ctx, req.GetId(), c)
	if err != nil {
		return nil, err
	}
	return &surveyv1.UpdateQuestionnaireResponse{Questionnaire: questionnaireToProto(q)}, nil
}

func (h *QuestionnaireHandler) ValidateQuestionnaire(ctx context.Context, req *surveyv1.ValidateQuestionnaireRequest) (*surveyv1.ValidateQuestionnaireResponse, error) {
	if err := checkID("id", req.GetId()); err != nil {
		return nil, err
	}
	q, err := h.svc.Questionnaires.Get(ctx, req.GetId(), 0)
	if err != nil {
		return nil, err
	}
	var v apierr.Violations
	validateContent(q.Content, &v, "questionnaire.")
	resp := &surveyv1.ValidateQuestionnaireResponse{Valid: v.Len() == 0}
	for _, d := range status.Convert(v.Err()).Details() {
		if br, ok := d.(*errdetails.BadRequest); ok {
			for _, fv := range br.GetFieldViolations() {
				resp.Problems = append(resp.Problems, &surveyv1.FieldProblem{Field: fv.GetField(), Description: fv.GetDescription()})
			}
		}
	}
	return resp, nil
}

func (h *QuestionnaireHandler) PublishQuestionnaire(ctx context.Context, req *surveyv1.PublishQuestionnaireRequest) (*surveyv1.PublishQuestionnaireResponse, error) {
	if err := checkID("id", req.GetId()); err != nil {
		return nil, err
	}
	q, err := h.svc.Questionnaires.Publish(ctx, req.GetId())
	if err != nil {
		return nil, err
	}
	return &surveyv1.PublishQuestionnaireResponse{Questionnaire: questionnaireToProto(q)}, nil
}

func (h *QuestionnaireHandler) NewQuestionnaireVersion(ctx context.Context, req *surveyv1.NewQuestionnaireVersionRequest) (*surveyv1.NewQuestionnaireVersionResponse, error) {
	var v apierr.Violations
	v.RequiredText("id", req.GetId(), 64)
	v.RequestID("request_id", req.GetRequestId())
	if err := v.Err(); err != nil {
		return nil, err
	}
	call := store.Call{
		Method: surveyv1.QuestionnaireService_NewQuestionnaireVersion_FullMethodName, Scope: auth.FromContext(ctx).ID(),
		RequestID: req.GetRequestId(), Request: req,
	}
	return store.Once(ctx, h.svc.db, call, func(tx *store.Tx) (*surveyv1.NewQuestionnaireVersionResponse, error) {
		q, err := h.svc.Questionnaires.NewVersion(ctx, tx, req.GetId())
		if err != nil {
			return nil, err
		}
		return &surveyv1.NewQuestionnaireVersionResponse{Questionnaire: questionnaireToProto(q)}, nil
	})
}

func (h *QuestionnaireHandler) GetQuestionnaire(ctx context.Context, req *surveyv1.GetQuestionnaireRequest) (*surveyv1.GetQuestionnaireResponse, error) {
	var v apierr.Violations
	v.RequiredText("id", req.GetId(), 64)
	if req.GetVersion() < 0 {
		v.Add("version", "must not be negative")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	q, err := h.svc.Questionnaires.Get(ctx, req.GetId(), int(req.GetVersion()))
	if err != nil {
		return nil, err
	}
	return &surveyv1.GetQuestionnaireResponse{Questionnaire: questionnaireToProto(q)}, nil
}

func (h *QuestionnaireHandler) ListQuestionnaires(ctx context.Context, req *surveyv1.ListQuestionnairesRequest) (*surveyv1.ListQuestionnairesResponse, error) {
	var v apierr.Violations
	page := paging.Parse(&v, req.GetPageSize(), req.GetPageToken(), 50, 200)
	if err := v.Err(); err != nil {
		return nil, err
	}
	qs, err := h.svc.Questionnaires.List(ctx, page.After, page.Size)
	if err != nil {
		return nil, err
	}
	resp := &surveyv1.ListQuestionnairesResponse{}
	resp.Questionnaires, resp.NextPageToken = paging.Map(page, qs, questionnaireToProto, func(q Questionnaire) string { return q.ID })
	return resp, nil
}
