package console

import (
	"net/http"
	"sort"

	feedbackv1 "github.com/wenming/wenming/gen/go/wenming/feedback/v1"
	"github.com/wenming/wenming/internal/web"
)

func (h *handler) caseRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET "+Prefix+"/cases", h.staff(h.caseList))
	mux.HandleFunc("GET "+Prefix+"/cases/{id}", h.staff(h.casePage))
	mux.HandleFunc("POST "+Prefix+"/cases/{id}/{action}", h.staff(h.caseAction))
}

// workingStates are the states a workbench lists: the department still
// owes an answer.
var workingStates = []feedbackv1.CaseState{
	feedbackv1.CaseState_CASE_STATE_OPEN, feedbackv1.CaseState_CASE_STATE_ACKNOWLEDGED,
	feedbackv1.CaseState_CASE_STATE_RECTIFIED,
}

// casePageSize is the most cases of one state a workbench reads (one API
// page); a department with more is told the list is cut.
const casePageSize = 200

type caseListData struct {
	Depts     map[string]string
	Cases     []*feedbackv1.Case
	Truncated bool
	Overdue   int
}

// caseList is the workbench: the cases still owed an answer — an officer's
// own department's (the API narrows it), everyone's for analysts and
// admins — overdue first, then soonest due.
func (h *handler) caseList(w http.ResponseWriter, r *http.Request, s *staff) {
	client := feedbackv1.NewCaseServiceClient(h.env.Conn)
	ctx := web.CallContext(r, s.token)
	d := caseListData{Depts: h.departments(r, s)}
	for _, st := range workingStates {
		resp, err := client.ListCases(ctx, &feedbackv1.ListCasesRequest{State: st, PageSize: casePageSize})
		if err != nil {
			h.problem(w, r, s, err)
			return
		}
		d.Cases = append(d.Cases, resp.GetCases()...)
		d.Truncated = d.Truncated || resp.GetNextPageToken() != ""
	}
	sort.SliceStable(d.Cases, func(i, j int) bool {
		a, b := d.Cases[i], d.Cases[j]
		if a.GetOverdue() != b.GetOverdue() {
			return a.GetOverdue()
		}
		return a.GetDueTime().AsTime().Before(b.GetDueTime().AsTime())
	})
	for _, c := range d.Cases {
		if c.GetOverdue() {
			d.Overdue++
		}
	}
	title := "案件工作台"
	if s.Role != "officer" {
		title = "在办案件"
	}
	h.render(w, r, s, http.StatusOK, "cases", title, d)
}

type caseData struct {
	Depts   map[string]string
	Case    *feedbackv1.Case
	Actions map[string]bool
	Refused *web.Problem
	Verdict string
}

func (h *handler) loadCase(w http.ResponseWriter, r *http.Request, s *staff) *feedbackv1.Case {
	resp, err := feedbackv1.NewCaseServiceClient(h.env.Conn).GetCase(web.CallContext(r, s.token),
		&feedbackv1.GetCaseRequest{Id: r.PathValue("id")})
	if err != nil {
		h.problem(w, r, s, err)
		return nil
	}
	return resp.GetCase()
}

func (h *handler) casePage(w http.ResponseWriter, r *http.Request, s *staff) {
	if c := h.loadCase(w, r, s); c != nil {
		h.showCase(w, r, s, http.StatusOK, c, nil)
	}
}

func (h *handler) showCase(w http.ResponseWriter, r *http.Request, s *staff, code int, c *feedbackv1.Case, refused *web.Problem) {
	d := caseData{Depts: h.departments(r, s), Case: c, Actions: map[string]bool{}, Refused: refused}
	for _, a := range c.GetAllowedActions() {
		d.Actions[a] = true
	}
	h.render(w, r, s, code, "case", "案件 "+c.GetTargetName(), d)
}

// caseAction performs one transition with the form's note. A refusal is
// shown on the case page with the server's reason; a success redirects
// back to it (so a reload does not post twice).
func (h *handler) caseAction(w http.ResponseWriter, r *http.Request, s *staff) {
	id, note := r.PathValue("id"), r.PostFormValue("note")
	client := feedbackv1.NewCaseServiceClient(h.env.Conn)
	ctx := web.CallContext(r, s.token)
	var err error
	switch r.PathValue("action") {
	case "acknowledge":
		_, err = client.AcknowledgeCase(ctx, &feedbackv1.AcknowledgeCaseRequest{Id: id, Note: note})
	case "rectify":
		_, err = client.RectifyCase(ctx, &feedbackv1.RectifyCaseRequest{Id: id, Note: note})
	case "close":
		v := feedbackv1.Verdict(feedbackv1.Verdict_value[r.PostFormValue("verdict")])
		_, err = client.CloseCase(ctx, &feedbackv1.CloseCaseRequest{Id: id, Verdict: v, Note: note})
	case "reopen":
		_, err = client.ReopenCase(ctx, &feedbackv1.ReopenCaseRequest{Id: id, Note: note})
	case "handover":
		_, err = client.HandOverCase(ctx, &feedbackv1.HandOverCaseRequest{Id: id, DepartmentId: r.PostFormValue("department_id"), Note: note})
	case "accept-handover", "decline-handover":
		_, err = client.AnswerHandover(ctx, &feedbackv1.AnswerHandoverRequest{Id: id, Accept: r.PathValue("action") == "accept-handover", Note: note})
	case "appeal":
		_, err = client.AppealCase(ctx, &feedbackv1.AppealCaseRequest{Id: id, Evidence: r.PostFormValue("evidence")})
	case "accept-appeal", "reject-appeal":
		_, err = client.DecideAppeal(ctx, &feedbackv1.DecideAppealRequest{Id: id, Accept: r.PathValue("action") == "accept-appeal", Note: note})
	default:
		http.NotFound(w, r)
		return
	}
	if err == nil {
		http.Redirect(w, r, Prefix+"/cases/"+id, http.StatusSeeOther)
		return
	}
	p := web.ProblemOf(err)
	c := h.loadCase(w, r, s)
	if c == nil {
		return
	}
	h.showCase(w, r, s, p.Status, c, &p)
}

// departments names the feedback departments by id (one API page: a city
// bureau has tens of departments, not hundreds). Admins and every role the
// console serves may list targets; a failure leaves ids unnamed.
func (h *handler) departments(r *http.Request, s *staff) map[string]string {
	resp, err := feedbackv1.NewTargetServiceClient(h.env.Conn).ListTargets(web.CallContext(r, s.token),
		&feedbackv1.ListTargetsRequest{Kind: feedbackv1.TargetKind_TARGET_KIND_DEPARTMENT, PageSize: 500})
	out := map[string]string{}
	if err != nil {
		return out
	}
	for _, t := range resp.GetTargets() {
		out[t.GetId()] = t.GetName()
	}
	return out
}
