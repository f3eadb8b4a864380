package feedback

import (
	"slices"
	"strings"
	"time"

	"github.com/wenming/wenming/internal/apierr"
)

// MaxNoteLen limits notes and appeal evidence, in characters.
const MaxNoteLen = 2000

// CaseState is where a case stands.
type CaseState string

const (
	Open           CaseState = "OPEN"
	Acknowledged   CaseState = "ACKNOWLEDGED"
	Rectified      CaseState = "RECTIFIED"
	Closed         CaseState = "CLOSED"
	Appealed       CaseState = "APPEALED"
	AppealAccepted CaseState = "APPEAL_ACCEPTED"
)

// working are the states in which the department owes an answer, so a case
// in them can be overdue. An appeal waits on an admin, not the department.
var working = []CaseState{Open, Acknowledged, Rectified}

// Verdict is the rater's answer on the call-back.
type Verdict string

const (
	Satisfied    Verdict = "SATISFIED"
	NotSatisfied Verdict = "NOT_SATISFIED"
	Unreachable  Verdict = "UNREACHABLE"
)

// Action is a kind of transition.
type Action string

const (
	ActOpen            Action = "OPEN"
	ActAcknowledge     Action = "ACKNOWLEDGE"
	ActRectify         Action = "RECTIFY"
	ActClose           Action = "CLOSE"
	ActReopen          Action = "REOPEN"
	ActHandOver        Action = "HAND_OVER"
	ActAcceptHandover  Action = "ACCEPT_HANDOVER"
	ActDeclineHandover Action = "DECLINE_HANDOVER"
	ActAppeal          Action = "APPEAL"
	ActAcceptAppeal    Action = "ACCEPT_APPEAL"
	ActRejectAppeal    Action = "REJECT_APPEAL"
)

// Event is one recorded transition.
type Event struct {
	Seq          int
	Action       Action
	ActorKeyID   string
	ActorName    string
	Time         time.Time
	Note         string
	From, To     CaseState
	DepartmentID string
}

// Case is the follow-up of one bad review.
type Case struct {
	ID             string
	RatingID       string
	TargetID       string
	TargetName     string
	DepartmentID   string
	State          CaseState
	OpenTime       time.Time
	DueTime        time.Time
	CloseTime      time.Time // zero unless closed
	Verdict        Verdict
	HandoverTo     string
	AppealEvidence string
	AppealFrom     CaseState
	UpdateTime     time.Time
	// Rating is the review the case is about.
	Rating Rating
	Events []Event
}

// Overdue reports whether the department still owes an answer at now and
// the due time has passed.
func (c Case) Overdue(now time.Time) bool {
	return slices.Contains(working, c.State) && !now.Before(c.DueTime)
}

// Step is a requested transition with its arguments.
type Step struct {
	Action Action
	Note   string
	// Verdict for ActClose.
	Verdict Verdict
	// Department for ActHandOver: who is asked to take over.
	Department string
	// Evidence for ActAppeal.
	Evidence string
}

// Validate records problems with the step's arguments alone.
func (st *Step) Validate(v *apierr.Violations) {
	st.Note = strings.TrimSpace(st.Note)
	st.Evidence = strings.TrimSpace(st.Evidence)
	st.Department = strings.TrimSpace(st.Department)
	switch st.Action {
	case ActAcknowledge, ActRectify, ActReopen:
		v.RequiredText("note", st.Note, MaxNoteLen)
	case ActClose:
		v.Text("note", st.Note, MaxNoteLen)
		switch st.Verdict {
		case Satisfied, NotSatisfied, Unreachable:
		default:
			v.Add("verdict", "must be SATISFIED, NOT_SATISFIED or UNREACHABLE")
		}
	case ActHandOver:
		v.RequiredText("department_id", st.Department, maxIDLen)
		v.Text("note", st.Note, MaxNoteLen)
	case ActAppeal:
		v.RequiredText("evidence", st.Evidence, MaxNoteLen)
	default:
		v.Text("note", st.Note, MaxNoteLen)
	}
}

// Apply performs step on c at now, returning the event to record, or
// FAILED_PRECONDITION when the case is not in a state that allows it.
// Ownership and who may act are checked by the caller.
func (c *Case) Apply(st Step, now time.Time) (Event, error) {
	from := c.State
	ev := Event{Action: st.Action, Time: now, Note: st.Note, From: from}
	in := func(states ...CaseState) bool { return slices.Contains(states, from) }
	refuse := func(what string) (Event, error) {
		return Event{}, apierr.FailedPrecondition(apierr.CaseStateForbids, "case %s is %s; %s", c.ID, from, what)
	}
	switch st.Action {
	case ActAcknowledge:
		if !in(Open) {
			return refuse("only an OPEN case can be acknowledged")
		}
		c.State = Acknowledged
	case ActRectify:
		if !in(Open, Acknowledged) {
			return refuse("only an OPEN or ACKNOWLEDGED case can be rectified")
		}
		c.State = Rectified
	case ActClose:
		if !in(Acknowledged, Rectified) {
			return refuse("a case is closed after the rater was contacted (ACKNOWLEDGED or RECTIFIED)")
		}
		if c.HandoverTo != "" {
			return refuse("a handover to " + c.HandoverTo + " is pending; it must be answered first")
		}
		c.State, c.Verdict, c.CloseTime = Closed, st.Verdict, now
		ev.Note = strings.TrimSpace(string(st.Verdict) + " " + st.Note)
	case ActReopen:
		if !in(Closed) {
			return refuse("only a CLOSED case can be reopened")
		}
		c.State, c.Verdict, c.CloseTime = Open, "", time.Time{}
	case ActHandOver:
		if !in(working...) {
			return refuse("only a case still being worked can be handed over")
		}
		if c.HandoverTo != "" {
			return refuse("a handover to " + c.HandoverTo + " is already pending")
		}
		if st.Department == c.DepartmentID {
			return Event{}, apierr.Field("department_id", "the case already belongs to department %s", st.Department)
		}
		c.HandoverTo = st.Department
		ev.DepartmentID = st.Department
	case ActAcceptHandover, ActDeclineHandover:
		if c.HandoverTo == "" {
			return refuse("no handover is pending")
		}
		ev.DepartmentID = c.HandoverTo
		if st.Action == ActAcceptHandover {
			c.DepartmentID = c.HandoverTo
		}
		c.HandoverTo = ""
	case ActAppeal:
		if !in(working...) {
			return refuse("only a case still being worked can be appealed")
		}
		if c.HandoverTo != "" {
			return refuse("a handover to " + c.HandoverTo + " is pending; it must be answered first")
		}
		c.State, c.AppealFrom, c.AppealEvidence = Appealed, from, st.Evidence
		ev.Note = st.Evidence
	case ActAcceptAppeal, ActRejectAppeal:
		if !in(Appealed) {
			return refuse("only an APPEALED case can have its appeal decided")
		}
		if st.Action == ActAcceptAppeal {
			c.State = AppealAccepted
		} else {
			c.State, c.AppealFrom = c.AppealFrom, ""
		}
	default:
		return Event{}, apierr.FailedPrecondition(apierr.UnknownCaseAction, "unknown case action %q", st.Action)
	}
	ev.To = c.State
	c.UpdateTime = now
	return ev, nil
}
