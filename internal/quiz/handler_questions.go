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

// questionHandler serves wenming.quiz.v1.QuestionService.
type questionHandler struct {
	quizv1.UnimplementedQuestionServiceServer
	svc *Service
}

// Register adds the service to s.
func (h *questionHandler) Register(s grpc.ServiceRegistrar) {
	quizv1.RegisterQuestionServiceServer(s, h)
}

// questionPolicy is who may call each QuestionService method. Kiosks are
// absent on purpose: every question carries its answer key.
var questionPolicy = auth.Policy{
	quizv1.QuestionService_CreateQuestion_FullMethodName:  auth.AdminOnly(),
	quizv1.QuestionService_UpdateQuestion_FullMethodName:  auth.AdminOnly(),
	quizv1.QuestionService_RetireQuestion_FullMethodName:  auth.AdminOnly(),
	quizv1.QuestionService_ImportQuestions_FullMethodName: auth.AdminOnly(),
	quizv1.QuestionService_GetQuestion_FullMethodName:     auth.Allow(auth.Analyst),
	quizv1.QuestionService_ListQuestions_FullMethodName:   auth.Allow(auth.Analyst),
}

func validContent(p *quizv1.QuestionContent, field string, v *apierr.Violations) Content {
	if p == nil {
		v.Add(field, "is required")
		return Content{}
	}
	c := contentFromProto(p)
	c.Normalize()
	c.Validate(v, field+".")
	return c
}

// maxIDLen is the longest id a request may name.
const maxIDLen = 64

func requireID(v *apierr.Violations, id string) {
	v.RequiredText("id", id, maxIDLen)
}

// checkID validates a request whose only input to check is the id in
// field, for handlers that then just look it up or act on it.
func checkID(field, id string) error {
	var v apierr.Violations
	v.RequiredText(field, id, maxIDLen)
	return v.Err()
}

func (h *questionHandler) CreateQuestion(ctx context.Context, req *quizv1.CreateQuestionRequest) (*quizv1.CreateQuestionResponse, error) {
	var v apierr.Violations
	c := validContent(req.GetQuestion(), "question", &v)
	v.RequestID("request_id", req.GetRequestId())
	if err := v.Err(); err != nil {
		return nil, err
	}
	call := store.Call{
		Method: quizv1.QuestionService_CreateQuestion_FullMethodName, Scope: auth.FromContext(ctx).ID(),
		RequestID: req.GetRequestId(), Request: req,
	}
	return store.Once(ctx, h.svc.db, call, func(tx *store.Tx) (*quizv1.CreateQuestionResponse, error) {
		q, err := h.svc.bank.Create(ctx, tx, c)
		if err != nil {
			return nil, err
		}
		return &quizv1.CreateQuestionResponse{Question: questionToProto(q)}, nil
	})
}

func (h *questionHandler) GetQuestion(ctx context.Context, req *quizv1.GetQuestionRequest) (*quizv1.GetQuestionResponse, error) {
	var v apierr.Violations
	requireID(&v, req.GetId())
	if req.GetVersion() < 0 {
		v.Add("version", "must not be negative")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	q, err := h.svc.bank.Get(ctx, req.GetId(), int(req.GetVersion()))
	if err != nil {
		return nil, err
	}
	return &quizv1.GetQuestionResponse{Question: questionToProto(q)}, nil
}

func (h *questionHandler) ListQuestions(ctx context.Context, req *quizv1.ListQuestionsRequest) (*quizv1.ListQuestionsResponse, error) {
	var v apierr.Violations
	page := paging.Parse(&v, req.GetPageSize(), req.GetPageToken(), 50, 200)
	f := questionFilter{Category: req.GetCategory(), IncludeRetired: req.GetIncludeRetired()}
	v.Text("category", f.Category, maxCategoryLen)
	if t := req.GetType(); t != quizv1.QuestionType_QUESTION_TYPE_UNSPECIFIED {
		if f.Type = typeFromProto(t); f.Type == "" {
			v.Add("type", "unknown question type %d", t)
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	qs, err := h.svc.bank.List(ctx, f, page.After, page.Size)
	if err != nil {
		return nil, err
	}
	resp := &quizv1.ListQuestionsResponse{}
	resp.Questions, resp.NextPageToken = paging.Map(page, qs, questionToProto, func(q question) string { return q.ID })
	return resp, nil
}

func (h *questionHandler) UpdateQuestion(ctx context.Context, req *quizv1.UpdateQuestionRequest) (*quizv1.UpdateQuestionResponse, error) {
	var v apierr.Violations
	requireID(&v, req.GetId())
	c := validContent(req.GetQuestion(), "question", &v)
	if err := v.Err(); err != nil {
		return nil, err
	}
	q, err := h.svc.bank.Update(ctx, req.GetId(), c)
	if err != nil {
		return nil, err
	}
	return &quizv1.UpdateQuestionResponse{Question: questionToProto(q)}, nil
}

func (h *questionHandler) RetireQuestion(ctx context.Context, req *quizv1.RetireQuestionRequest) (*quizv1.RetireQuestionResponse, error) {
	if err := checkID("id", req.GetId()); err != nil {
		return nil, err
	}
	q, err := h.svc.bank.Retire(ctx, req.GetId())
	if err != nil {
		return nil, err
	}
	return &quizv1.RetireQuestionResponse{Question: questionToProto(q)}, nil
}
