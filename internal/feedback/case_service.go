package feedback

import (
	"context"
	"errors"
	"strconv"

	"github.com/wenming/wenming/internal/apierr"
	"github.com/wenming/wenming/internal/auth"
	"github.com/wenming/wenming/internal/store"
)

// openCase opens the case for bad review r of target t, due DueDays working
// days after the rating on the service calendar.
func (s *Service) openCase(ctx context.Context, tx *store.Tx, r Rating, t Target) (Case, error) {
	id, err := newID()
	if err != nil {
		return Case{}, err
	}
	c := Case{
		ID: id, RatingID: r.ID, TargetID: t.ID, TargetName: t.Name, DepartmentID: t.DepartmentID,
		State: Open, OpenTime: r.CreateTime, DueTime: s.cal.DueAt(r.CreateTime, s.dueDays).UTC(),
		UpdateTime: r.CreateTime, Rating: r,
	}
	if err := insertCase(ctx, tx, c); err != nil {
		return Case{}, err
	}
	ev := Event{Action: ActOpen, Time: c.OpenTime, To: Open, DepartmentID: c.DepartmentID,
		Note: "opened by a level-" + strconv.Itoa(r.Level) + " rating"}
	return c, insertEvent(ctx, tx, c.ID, ev)
}

// canSee reports whether p may read case c. Officers see their own
// department's cases and those offered to it.
func canSee(p auth.Principal, c Case) bool {
	switch p.Role {
	case auth.Admin, auth.Analyst:
		return true
	case auth.Officer:
		return p.Scope != "" && (p.Scope == c.DepartmentID || p.Scope == c.HandoverTo)
	}
	return false
}

// canReadContact reports whether p may read the rater's contact: admins,
// and officers of the owning department. Analysts never.
func canReadContact(p auth.Principal, c Case) bool {
	return p.Role == auth.Admin || (p.Role == auth.Officer && p.Scope != "" && p.Scope == c.DepartmentID)
}

// mayAct reports whether p may take action a on c (which p can see).
func mayAct(p auth.Principal, c Case, a Action) bool {
	switch {
	case p.Role == auth.Admin:
		return true
	case p.Role != auth.Officer:
		return false
	case a == ActAcceptAppeal || a == ActRejectAppeal:
		return false
	case a == ActAcceptHandover || a == ActDeclineHandover:
		return p.Scope == c.HandoverTo
	}
	return p.Scope == c.DepartmentID
}

// errNoScope refuses an officer key that names no department.
func errNoScope() error {
	return apierr.PermissionDenied(apierr.KeyNotScoped, "this officer key is not scoped to a department; create it with --scope DEPARTMENT_ID")
}

// GetCase returns a case with its history as p may see it. A case p may not
// see is NOT_FOUND, so its existence does not leak.
func (s *Service) GetCase(ctx context.Context, p auth.Principal, id string) (Case, error) {
	if p.Role == auth.Officer && p.Scope == "" {
		return Case{}, errNoScope()
	}
	c, err := getCase(ctx, s.db.R, id)
	if errors.Is(err, errNotFound) || (err == nil && !canSee(p, c)) {
		return Case{}, apierr.NotFound("case", id)
	}
	if err != nil {
		return Case{}, err
	}
	c.Events, err = listEvents(ctx, s.db.R, id)
	return c, err
}

// ListCases returns up to limit cases after the given id, newest first,
// among those p may see.
func (s *Service) ListCases(ctx context.Context, p auth.Principal, f CaseFilter, after string, limit int) ([]Case, error) {
	if p.Role == auth.Officer {
		if p.Scope == "" {
			return nil, errNoScope()
		}
		f.VisibleTo = p.Scope
	}
	return listCases(ctx, s.db.R, f, after, limit)
}

// Transition applies step to case id on behalf of p and records the event.
// It returns the case as the step left it, with its history.
func (s *Service) Transition(ctx context.Context, p auth.Principal, id string, st Step) (Case, error) {
	if p.Role == auth.Officer && p.Scope == "" {
		return Case{}, errNoScope()
	}
	var out Case
	err := s.db.WithTx(ctx, func(tx *store.Tx) error {
		if err := lockCase(ctx, tx, s.db.Dialect, id); errors.Is(err, errNotFound) {
			return apierr.NotFound("case", id)
		} else if err != nil {
			return err
		}
		c, err := getCase(ctx, tx, id)
		if errors.Is(err, errNotFound) || (err == nil && !canSee(p, c)) {
			return apierr.NotFound("case", id)
		}
		if err != nil {
			return err
		}
		if !mayAct(p, c, st.Action) {
			return apierr.PermissionDenied(apierr.OutOfScope, "role %s of department %q may not %s case %s",
				p.Role, p.Scope, st.Action, id)
		}
		if st.Action == ActHandOver {
			if err := s.checkDepartment(ctx, tx, st.Department); err != nil {
				return err
			}
		}
		ev, err := c.Apply(st, s.now())
		if err != nil {
			return err
		}
		ev.ActorKeyID, ev.ActorName = p.KeyID, p.Name
		if st.Action == ActAcceptAppeal {
			if err := excludeRating(ctx, tx, c.RatingID); err != nil {
				return err
			}
		}
		if err := updateCaseRow(ctx, tx, c); err != nil {
			return err
		}
		out = c
		return insertEvent(ctx, tx, c.ID, ev)
	})
	if err != nil {
		return Case{}, err
	}
	// out holds what was just written (times are at the stored precision),
	// so only the history needs reading.
	out.Events, err = listEvents(ctx, s.db.R, id)
	return out, err
}

// checkDepartment says whether id names an active department.
func (s *Service) checkDepartment(ctx context.Context, q store.Queryer, id string) error {
	t, err := getTarget(ctx, q, id)
	switch {
	case errors.Is(err, errNotFound):
		return apierr.Field("department_id", "no target %q", id)
	case err != nil:
		return err
	case t.Kind != Department:
		return apierr.Field("department_id", "target %s is a %s, not a department", id, t.Kind)
	case !t.Active:
		return apierr.Field("department_id", "department %s is deactivated", id)
	}
	return nil
}
