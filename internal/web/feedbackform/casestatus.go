package feedbackform

import (
	"net/http"
	"time"

	feedbackv1 "github.com/wenming/wenming/gen/go/wenming/feedback/v1"
	"github.com/wenming/wenming/internal/web"
)

type step struct {
	Label   string
	Time    time.Time
	Done    bool
	Current bool
}

// caseView is what case.html shows: the stage and its dates, nothing else.
type caseView struct {
	Code    string
	Stage   string
	Steps   []step
	Due     time.Time
	Overdue bool
	Done    bool
}

var stageLabels = map[feedbackv1.PublicCaseStage]string{
	feedbackv1.PublicCaseStage_PUBLIC_CASE_STAGE_RECEIVED:    "已受理",
	feedbackv1.PublicCaseStage_PUBLIC_CASE_STAGE_IN_PROGRESS: "整改中",
	feedbackv1.PublicCaseStage_PUBLIC_CASE_STAGE_DONE:        "已办结",
}

func (h *handler) caseStatus(w http.ResponseWriter, r *http.Request) {
	st, err := h.cases.GetPublicCaseStatus(web.CallContext(r, ""), &feedbackv1.GetPublicCaseStatusRequest{Code: r.PathValue("code")})
	if err != nil {
		h.failCall(w, r, err, "")
		return
	}
	at := func(t interface{ AsTime() time.Time }, set bool) time.Time {
		if !set {
			return time.Time{}
		}
		return t.AsTime()
	}
	v := caseView{
		Code: st.GetCode(), Stage: stageLabels[st.GetStage()], Overdue: st.GetOverdue(),
		Due:  st.GetDueTime().AsTime(),
		Done: st.GetStage() == feedbackv1.PublicCaseStage_PUBLIC_CASE_STAGE_DONE,
	}
	stage := st.GetStage()
	v.Steps = []step{
		{Label: "已受理", Time: at(st.GetReceiveTime(), st.GetReceiveTime() != nil), Done: true},
		{Label: "整改中", Time: at(st.GetProgressTime(), st.GetProgressTime() != nil), Done: stage >= feedbackv1.PublicCaseStage_PUBLIC_CASE_STAGE_IN_PROGRESS},
		{Label: "已办结", Time: at(st.GetDoneTime(), st.GetDoneTime() != nil), Done: v.Done},
	}
	for i := range v.Steps {
		v.Steps[i].Current = v.Steps[i].Label == v.Stage
	}
	h.pages.Render(w, r, http.StatusOK, "case", v)
}
