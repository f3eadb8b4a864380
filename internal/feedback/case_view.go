package feedback

import (
	"slices"
	"time"

	"github.com/wenming/wenming/internal/auth"
)

// offered are the actions a case page may offer, in the order it shows them.
var offered = []action{
	ActAcknowledge, ActRectify, ActClose, actReopen, actHandOver,
	actAcceptHandover, actDeclineHandover, actAppeal, actAcceptAppeal, actRejectAppeal,
}

// AllowedActions are the actions p may take on c now: those p's role and
// department permit (mayAct) and the case's state admits (Apply, tried on a
// copy), so a page offers exactly what the server would accept.
func AllowedActions(p auth.Principal, c Case, now time.Time) []action {
	var out []action
	for _, a := range offered {
		if !mayAct(p, c, a) {
			continue
		}
		trial := c
		trial.Events = nil
		step := Step{Action: a, Verdict: Satisfied}
		if a == actHandOver {
			step.Department = "\x00another department"
		}
		if _, err := trial.Apply(step, now); err == nil {
			out = append(out, a)
		}
	}
	return out
}

// WorkingDaysLeft counts working days between now and c's deadline on cal:
// the working days after today up to the last day before the due time (0:
// due by the end of today), or, once overdue, minus the working days since
// the deadline. A case no longer worked has 0.
func (s *Service) WorkingDaysLeft(c Case, now time.Time) int {
	if !slices.Contains(working, c.State) {
		return 0
	}
	lastDay := c.DueTime.Add(-time.Nanosecond)
	if now.Before(c.DueTime) {
		return s.cal.WorkingDaysBetween(now, lastDay)
	}
	return -s.cal.WorkingDaysBetween(lastDay, now)
}
