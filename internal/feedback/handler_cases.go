package feedback

import (
	"context"
	"strings"

	"google.golang.org/grpc"

	feedbackv1 "github.com/wenming/wenming/gen/go/wenming/feedback/v1"
	"github.com/wenming/wenming/internal/apierr"
	"github.com/wenming/wenming/internal/auth"
	"github.com/wenming/wenming/internal/paging"
	"github.com/wenming/wenming/internal/store"
	"github.com/wenming/wenming/internal/tabular"
)

// caseHandler serves wenming.feedback.v1.CaseService.
type caseHandler struct {
	feedbackv1.UnimplementedCaseServiceServer
	svc *Service
}

// Register adds the service to s.
func (h *caseHandler) Register(s grpc.ServiceRegistrar) { feedbackv1.RegisterCaseServiceServer(s, h) }

// casePolicy: officers work their department's cases; analysts read cases
// (never contacts), reports and exports; admins decide appeals.
var casePolicy = auth.Policy{
	feedbackv1.CaseService_ListCases_FullMethodName:               auth.Allow(auth.Officer, auth.Analyst),
	feedbackv1.CaseService_GetCase_FullMethodName:                 auth.Allow(auth.Officer, auth.Analyst),
	feedbackv1.CaseService_AcknowledgeCase_FullMethodName:         auth.Allow(auth.Officer),
	feedbackv1.CaseService_RectifyCase_FullMethodName:             auth.Allow(auth.Officer),
	feedbackv1.CaseService_CloseCase_FullMethodName:               auth.Allow(auth.Officer),
	feedbackv1.CaseService_ReopenCase_FullMethodName:              auth.Allow(auth.Officer),
	feedbackv1.CaseService_HandOverCase_FullMethodName:            auth.Allow(auth.Officer),
	feedbackv1.CaseService_AnswerHandover_FullMethodName:          auth.Allow(auth.Officer),
	feedbackv1.CaseService_AppealCase_FullMethodName:              auth.Allow(auth.Officer),
	feedbackv1.CaseService_DecideAppeal_FullMethodName:            auth.AdminOnly(),
	feedbackv1.CaseService_GetAccountabilityReport_FullMethodName: auth.Allow(auth.Officer, auth.Analyst),
	feedbackv1.CaseService_ExportCases_FullMethodName:             auth.Allow(auth.Analyst),
	// The rater holds only the case number; the answer carries dates and
	// a stage, nothing about the review, the rater or the department.
	feedbackv1.CaseService_GetPublicCaseStatus_FullMethodName: auth.Public(auth.Kiosk, auth.Inspector, auth.Officer, auth.Analyst),
}

func (h *caseHandler) toProto(ctx context.Context, c Case) *feedbackv1.Case {
	p, now := auth.FromContext(ctx), h.svc.now()
	out := h.svc.caseToProto(c, canReadContact(p, c), now)
	for _, a := range AllowedActions(p, c, now) {
		out.AllowedActions = append(out.AllowedActions, string(a))
	}
	out.WorkingDaysLeft = int32(h.svc.WorkingDaysLeft(c, now))
	return out
}

func (h *caseHandler) ListCases(ctx context.Context, req *feedbackv1.ListCasesRequest) (*feedbackv1.ListCasesResponse, error) {
	var v apierr.Violations
	page := paging.Parse(&v, req.GetPageSize(), req.GetPageToken(), 50, 200)
	f := caseFilter{DepartmentID: strings.TrimSpace(req.GetDepartmentId())}
	v.Text("department_id", f.DepartmentID, maxIDLen)
	if st := req.GetState(); st != feedbackv1.CaseState_CASE_STATE_UNSPECIFIED {
		var ok bool
		if f.State, ok = stateNames[st]; !ok {
			v.Add("state", "unknown case state %d", st)
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	if req.GetOverdueOnly() {
		f.OverdueAt = store.Micros(h.svc.now())
	}
	cases, err := h.svc.ListCases(ctx, auth.FromContext(ctx), f, page.After, page.Size)
	if err != nil {
		return nil, err
	}
	resp := &feedbackv1.ListCasesResponse{}
	resp.Cases, resp.NextPageToken = paging.Map(page, cases, func(c Case) *feedbackv1.Case { return h.toProto(ctx, c) }, func(c Case) string { return c.ID })
	return resp, nil
}

func (h *caseHandler) GetCase(ctx context.Context, req *feedbackv1.GetCaseRequest) (*feedbackv1.GetCaseResponse, error) {
	if err := checkID("id", req.GetId()); err != nil {
		return nil, err
	}
	c, err := h.svc.GetCase(ctx, auth.FromContext(ctx), req.GetId())
	if err != nil {
		return nil, err
	}
	return &feedbackv1.GetCaseResponse{Case: h.toProto(ctx, c)}, nil
}

// step validates and applies one transition.
func (h *caseHandler) step(ctx context.Context, id string, st Step) (*feedbackv1.Case, error) {
	var v apierr.Violations
	requireID(&v, "id", id)
	st.Validate(&v)
	if err := v.Err(); err != nil {
		return nil, err
	}
	c, err := h.svc.Transition(ctx, auth.FromContext(ctx), id, st)
	if err != nil {
		return nil, err
	}
	return h.toProto(ctx, c), nil
}

func (h *caseHandler) AcknowledgeCase(ctx context.Context, req *feedbackv1.AcknowledgeCaseRequest) (*feedbackv1.AcknowledgeCaseResponse, error) {
	c, err := h.step(ctx, req.GetId(), Step{Action: ActAcknowledge, Note: req.GetNote()})
	return &feedbackv1.AcknowledgeCaseResponse{Case: c}, err
}

func (h *caseHandler) RectifyCase(ctx context.Context, req *feedbackv1.RectifyCaseRequest) (*feedbackv1.RectifyCaseResponse, error) {
	c, err := h.step(ctx, req.GetId(), Step{Action: ActRectify, Note: req.GetNote()})
	return &feedbackv1.RectifyCaseResponse{Case: c}, err
}

func (h *caseHandler) CloseCase(ctx context.Context, req *feedbackv1.CloseCaseRequest) (*feedbackv1.CloseCaseResponse, error) {
	c, err := h.step(ctx, req.GetId(), Step{Action: ActClose, Note: req.GetNote(), Verdict: verdictNames[req.GetVerdict()]})
	return &feedbackv1.CloseCaseResponse{Case: c}, err
}

func (h *caseHandler) ReopenCase(ctx context.Context, req *feedbackv1.ReopenCaseRequest) (*feedbackv1.ReopenCaseResponse, error) {
	c, err := h.step(ctx, req.GetId(), Step{Action: actReopen, Note: req.GetNote()})
	return &feedbackv1.ReopenCaseResponse{Case: c}, err
}

func (h *caseHandler) HandOverCase(ctx context.Context, req *feedbackv1.HandOverCaseRequest) (*feedbackv1.HandOverCaseResponse, error) {
	c, err := h.step(ctx, req.GetId(), Step{Action: actHandOver, Note: req.GetNote(), Department: req.GetDepartmentId()})
	return &feedbackv1.HandOverCaseResponse{Case: c}, err
}

func (h *caseHandler) AnswerHandover(ctx context.Context, req *feedbackv1.AnswerHandoverRequest) (*feedbackv1.AnswerHandoverResponse, error) {
	a := actDeclineHandover
	if req.GetAccept() {
		a = actAcceptHandover
	}
	c, err := h.step(ctx, req.GetId(), Step{Action: a, Note: req.GetNote()})
	return &feedbackv1.AnswerHandoverResponse{Case: c}, err
}

func (h *caseHandler) AppealCase(ctx context.Context, req *feedbackv1.AppealCaseRequest) (*feedbackv1.AppealCaseResponse, error) {
	c, err := h.step(ctx, req.GetId(), Step{Action: actAppeal, Evidence: req.GetEvidence()})
	return &feedbackv1.AppealCaseResponse{Case: c}, err
}

func (h *caseHandler) DecideAppeal(ctx context.Context, req *feedbackv1.DecideAppealRequest) (*feedbackv1.DecideAppealResponse, error) {
	a := actRejectAppeal
	if req.GetAccept() {
		a = actAcceptAppeal
	}
	c, err := h.step(ctx, req.GetId(), Step{Action: a, Note: req.GetNote()})
	return &feedbackv1.DecideAppealResponse{Case: c}, err
}

// reportDepartment is the department a report or export may cover: an
// officer's own, whatever it asked for.
func reportDepartment(p auth.Principal, asked string) (string, error) {
	if p.Role != auth.Officer {
		return asked, nil
	}
	if p.Scope == "" {
		return "", errNoScope()
	}
	if asked != "" && asked != p.Scope {
		return "", apierr.PermissionDenied(apierr.OutOfScope, "an officer key of department %s may only report on that department", p.Scope)
	}
	return p.Scope, nil
}

func (h *caseHandler) GetAccountabilityReport(ctx context.Context, req *feedbackv1.GetAccountabilityReportRequest) (*feedbackv1.GetAccountabilityReportResponse, error) {
	var v apierr.Violations
	p := ParsePeriod(&v, req.GetStartDate(), req.GetEndDate())
	v.Text("department_id", req.GetDepartmentId(), maxIDLen)
	if err := v.Err(); err != nil {
		return nil, err
	}
	dept, err := reportDepartment(auth.FromContext(ctx), req.GetDepartmentId())
	if err != nil {
		return nil, err
	}
	rows, err := h.svc.AccountabilityReport(ctx, p, dept)
	if err != nil {
		return nil, err
	}
	resp := &feedbackv1.GetAccountabilityReportResponse{}
	for _, a := range rows {
		resp.Departments = append(resp.Departments, &feedbackv1.DepartmentAccountability{
			DepartmentId: a.DepartmentID, DepartmentName: a.DepartmentName, Opened: int64(a.Opened),
			ClosedInTime: int64(a.ClosedInTime), OverdueNow: int64(a.OverdueNow),
			MedianHoursToClose: a.MedianHoursToClose, Closed: int64(a.Closed), AppealsAccepted: int64(a.AppealsAccepted),
		})
	}
	return resp, nil
}

func (h *caseHandler) ExportCases(ctx context.Context, req *feedbackv1.ExportCasesRequest) (*feedbackv1.ExportCasesResponse, error) {
	var v apierr.Violations
	p := ParsePeriod(&v, req.GetStartDate(), req.GetEndDate())
	v.Text("department_id", req.GetDepartmentId(), maxIDLen)
	if err := v.Err(); err != nil {
		return nil, err
	}
	var b strings.Builder
	w, err := tabular.NewWriter(&b, tabular.Options{Format: tabular.CSV, NoBOM: true})
	if err != nil {
		return nil, err
	}
	n, cut, err := h.svc.ExportCases(ctx, w, p, req.GetDepartmentId(), maxExportRows)
	if err == nil {
		err = w.Close()
	}
	if err != nil {
		return nil, err
	}
	return &feedbackv1.ExportCasesResponse{Csv: b.String(), Rows: int64(n), Truncated: cut}, nil
}

var stageNames = map[PublicStage]feedbackv1.PublicCaseStage{
	StageReceived:   feedbackv1.PublicCaseStage_PUBLIC_CASE_STAGE_RECEIVED,
	StageInProgress: feedbackv1.PublicCaseStage_PUBLIC_CASE_STAGE_IN_PROGRESS,
	StageDone:       feedbackv1.PublicCaseStage_PUBLIC_CASE_STAGE_DONE,
}

func (h *caseHandler) GetPublicCaseStatus(ctx context.Context, req *feedbackv1.GetPublicCaseStatusRequest) (*feedbackv1.GetPublicCaseStatusResponse, error) {
	var v apierr.Violations
	code := checkCode(&v, "code", req.GetCode())
	if err := v.Err(); err != nil {
		return nil, err
	}
	st, err := h.svc.PublicStatus(ctx, code)
	if err != nil {
		return nil, err
	}
	return &feedbackv1.GetPublicCaseStatusResponse{
		Code: st.Code, Stage: stageNames[st.Stage], ReceiveTime: ts(st.ReceiveTime),
		ProgressTime: ts(st.ProgressTime), DoneTime: ts(st.DoneTime), DueTime: ts(st.DueTime), Overdue: st.Overdue,
	}, nil
}
