package feedback

import (
	"slices"
	"strings"
	"time"

	"github.com/wenming/wenming/internal/apierr"
)

// maxNoteLen limits notes and appeal evidence, in characters.
const maxNoteLen = 2000

// caseState is where a case stands.
type caseState string

const (
	open           caseState = "OPEN"
	acknowledged   caseState = "ACKNOWLEDGED"
	rectified      caseState = "RECTIFIED"
	closed         caseState = "CLOSED"
	appealed       caseState = "APPEALED"
	appealAccepted caseState = "APPEAL_ACCEPTED"
)

// working are the states in which the department owes an answer, so a case
// in them can be overdue. An appeal waits on an admin, not the department.
var working = []caseState{open, acknowledged, rectified}

// Verdict is the rater's answer on the call-back.
type Verdict string

const (
	Satisfied    Verdict = "SATISFIED"
	NotSatisfied Verdict = "NOT_SATISFIED"
	unreachable  Verdict = "UNREACHABLE"
)

// action is a kind of transition.
type action string

const (
	actOpen            action = "OPEN"
	ActAcknowledge     action = "ACKNOWLEDGE"
	ActRectify         action = "RECTIFY"
	ActClose           action = "CLOSE"
	actReopen          action = "REOPEN"
	actHandOver        action = "HAND_OVER"
	actAcceptHandover  action = "ACCEPT_HANDOVER"
	actDeclineHandover action = "DECLINE_HANDOVER"
	actAppeal          action = "APPEAL"
	actAcceptAppeal    action = "ACCEPT_APPEAL"
	actRejectAppeal    action = "REJECT_APPEAL"
)

// event is one recorded transition.
type event struct {
	Seq          int
	Action       action
	ActorKeyID   string
	ActorName    string
	Time         time.Time
	Note         string
	From, To     caseState
	DepartmentID string
}

// Case is the follow-up of one bad review.
type Case struct {
	ID             string
	RatingID       string
	TargetID       string
	TargetName     string
	DepartmentID   string
	State          caseState
	OpenTime       time.Time
	DueTime        time.Time
	CloseTime      time.Time // zero unless closed
	Verdict        Verdict
	HandoverTo     string
	AppealEvidence string
	AppealFrom     caseState
	UpdateTime     time.Time
	// PublicCode is the case number the rater is given, /f/case/{code}.
	PublicCode string
	// Rating is the review the case is about.
	Rating rating
	Events []event
}

// Overdue reports whether the department still owes an answer at now and
// the due time has passed.
func (c Case) Overdue(now time.Time) bool {
	return slices.Contains(working, c.State) && !now.Before(c.DueTime)
}

// Step is a requested transition with its arguments.
type Step struct {
	Action action
	Note   string
	// Verdict for ActClose.
	Verdict Verdict
	// Department for actHandOver: who is asked to take over.
	Department string
	// Evidence for actAppeal.
	Evidence string
}

// Validate records problems with the step's arguments alone.
func (st *Step) Validate(v *apierr.Violations) {
	st.Note = strings.TrimSpace(st.Note)
	st.Evidence = strings.TrimSpace(st.Evidence)
	st.Department = strings.TrimSpace(st.Department)
	switch st.Action {
	case ActAcknowledge, ActRectify, actReopen:
		v.RequiredText("note", st.Note, maxNoteLen)
	case ActClose:
		v.Text("note", st.Note, maxNoteLen)
		switch st.Verdict {
		case Satisfied, NotSatisfied, unreachable:
		default:
			v.Add("verdict", "must be SATISFIED, NOT_SATISFIED or UNREACHABLE")
		}
	case actHandOver:
		v.RequiredText("department_id", st.Department, maxIDLen)
		v.Text("note", st.Note, maxNoteLen)
	case actAppeal:
		v.RequiredText("evidence", st.Evidence, maxNoteLen)
	default:
		v.Text("note", st.Note, maxNoteLen)
	}
}

// Apply performs step on c at now, returning the event to record, or
// FAILED_PRECONDITION when the case is not in a state that allows it.
// Ownership and who may act are checked by the caller.
func (c *Case) Apply(st Step, now time.Time) (event, error) {
	from := c.State
	ev := event{Action: st.Action, Time: now, Note: st.Note, From: from}
	in := func(states ...caseState) bool { return slices.Contains(states, from) }
	refuse := func(what string) (event, error) {
		return event{}, apierr.FailedPrecondition(apierr.CaseStateForbids, "case %s is %s; %s", c.ID, from, what)
	}
	switch st.Action {
	case ActAcknowledge:
		if !in(open) {
			return refuse("only an OPEN case can be acknowledged")
		}
		c.State = acknowledged
	case ActRectify:
		if !in(open, acknowledged) {
			return refuse("only an OPEN or ACKNOWLEDGED case can be rectified")
		}
		c.State = rectified
	case ActClose:
		if !in(acknowledged, rectified) {
			return refuse("a case is closed after the rater was contacted (ACKNOWLEDGED or RECTIFIED)")
		}
		if c.HandoverTo != "" {
			return refuse("a handover to " + c.HandoverTo + " is pending; it must be answered first")
		}
		c.State, c.Verdict, c.CloseTime = closed, st.Verdict, now
		ev.Note = strings.TrimSpace(string(st.Verdict) + " " + st.Note)
	case actReopen:
		if !in(closed) {
			return refuse("only a CLOSED case can be reopened")
		}
		c.State, c.Verdict, c.CloseTime = open, "", time.Time{}
	case actHandOver:
		if !in(working...) {
			return refuse("only a case still being worked can be handed over")
		}
		if c.HandoverTo != "" {
			return refuse("a handover to " + c.HandoverTo + " is already pending")
		}
		if st.Department == c.DepartmentID {
			return event{}, apierr.Field("department_id", "the case already belongs to department %s", st.Department)
		}
		c.HandoverTo = st.Department
		ev.DepartmentID = st.Department
	case actAcceptHandover, actDeclineHandover:
		if c.HandoverTo == "" {
			return refuse("no handover is pending")
		}
		ev.DepartmentID = c.HandoverTo
		if st.Action == actAcceptHandover {
			c.DepartmentID = c.HandoverTo
		}
		c.HandoverTo = ""
	case actAppeal:
		if !in(working...) {
			return refuse("only a case still being worked can be appealed")
		}
		if c.HandoverTo != "" {
			return refuse("a handover to " + c.HandoverTo + " is pending; it must be answered first")
		}
		c.State, c.AppealFrom, c.AppealEvidence = appealed, from, st.Evidence
		ev.Note = st.Evidence
	case actAcceptAppeal, actRejectAppeal:
		if !in(appealed) {
			return refuse("only an APPEALED case can have its appeal decided")
		}
		if st.Action == actAcceptAppeal {
			c.State = appealAccepted
		} else {
			c.State, c.AppealFrom = c.AppealFrom, ""
		}
	default:
		return event{}, apierr.FailedPrecondition(apierr.UnknownCaseAction, "unknown case action %q", st.Action)
	}
	ev.To = c.State
	c.UpdateTime = now
	return ev, nil
}
