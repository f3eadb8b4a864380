package supervision

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/wenming/wenming/internal/apierr"
	"github.com/wenming/wenming/internal/auth"
	"github.com/wenming/wenming/internal/civindex"
	"github.com/wenming/wenming/internal/scoring"
	"github.com/wenming/wenming/internal/store"
)

// Rectification task states as stored.
const (
	TaskOpen     = "OPEN"
	TaskReported = "REPORTED"
	TaskClosed   = "CLOSED"
)

// Task is a rectification task.
type Task struct {
	ID, RoundID, SiteID, Unit, ItemID, DimensionID string
	Points, MaxPoints, Threshold                   float64
	State                                          string
	OpenTime, DueTime, ReportTime, CloseTime       time.Time
	ReportNote, ClosingInspectionID                string
}

// Overdue reports whether the task is past due and not closed at now.
func (t Task) Overdue(now time.Time) bool { return t.State != TaskClosed && now.After(t.DueTime) }

// supervised reports whether a round kind's findings lead to tasks and can
// close them: self-checks do neither (a unit cannot clear its own finding).
func supervised(kind string) bool { return kind == civindex.SpotCheck || kind == civindex.Official }

// onClosed opens a task for every shortfall of a closed SPOT_CHECK or
// OFFICIAL round: every item whose average points at a site are under
// civindex.DefaultShortfallShare of its max (scoring.Shortfalls), due in
// rectifyDays working days.
func (s *Service) onClosed(ctx context.Context, tx *store.Tx, r civindex.Round) error {
	if !supervised(r.Kind) {
		return nil
	}
	results, err := civindex.RoundResults(ctx, tx, r.ID, "")
	if err != nil {
		return err
	}
	now := s.now()
	due := store.Stamp(s.cal.DueAt(now, s.rectifyDays))
	var tasks []Task
	for _, site := range results {
		for _, sf := range scoring.Shortfalls(site.Items, civindex.DefaultShortfallShare) {
			id, err := newID()
			if err != nil {
				return err
			}
			tasks = append(tasks, Task{
				ID: id, RoundID: r.ID, SiteID: site.SiteID, Unit: site.Unit, ItemID: sf.ItemID, DimensionID: sf.DimensionID,
				Points: sf.Points, MaxPoints: sf.MaxPoints, Threshold: civindex.DefaultShortfallShare,
				State: TaskOpen, OpenTime: now, DueTime: due,
			})
		}
	}
	return insertTasks(ctx, tx, tasks, now)
}

// onRecorded closes the open or reported tasks of the inspected site whose
// item this revision passes (applicable, points ≥ threshold × max), when
// the inspection belongs to a SPOT_CHECK or OFFICIAL round other than the
// task's and was first submitted no earlier than the task was opened.
func (s *Service) onRecorded(ctx context.Context, tx *store.Tx, r civindex.Recorded) error {
	if !supervised(r.RoundKind) {
		return nil
	}
	tasks, err := pendingTasks(ctx, tx, r.SiteID, r.RoundID, r.InspectionCreateTime)
	if err != nil || len(tasks) == 0 {
		return err
	}
	items := map[string]scoring.ItemScore{}
	for _, it := range r.Items {
		items[it.ItemID] = it
	}
	for _, t := range tasks {
		it, ok := items[t.ItemID]
		if !ok || !it.Applicable || it.MaxPoints <= 0 || it.Points < t.Threshold*it.MaxPoints {
			continue
		}
		if err := closeTask(ctx, tx, t.ID, r.InspectionID, r.At); err != nil {
			return err
		}
	}
	return nil
}

// TaskFilter narrows a task list.
type TaskFilter struct {
	Unit, State, RoundID string
	OverdueOnly          bool
}

// scopeTasks narrows f to what p may see: an officer its unit's tasks, an
// inspector the tasks awaiting re-inspection.
func (s *Service) scopeTasks(ctx context.Context, p auth.Principal, f *TaskFilter) error {
	switch p.Role {
	case auth.Officer:
		unit, err := s.officerUnit(ctx, p)
		if err != nil {
			return err
		}
		if f.Unit != "" && f.Unit != unit {
			return apierr.PermissionDenied(apierr.OutOfScope, "an officer of unit %s may only see that unit's tasks", unit)
		}
		f.Unit = unit
	case auth.Inspector:
		if f.State != "" && f.State != TaskReported {
			return apierr.PermissionDenied(apierr.OutOfScope, "an inspector sees only the tasks awaiting re-inspection (REPORTED)")
		}
		f.State = TaskReported
	}
	return nil
}

// officerUnit is the unit an officer key acts for: the unit registered with
// the key's department.
func (s *Service) officerUnit(ctx context.Context, p auth.Principal) (string, error) {
	if p.Scope == "" {
		return "", apierr.PermissionDenied(apierr.KeyNotScoped, "this officer key is not scoped to a department; create it with --scope DEPARTMENT_ID")
	}
	u, err := unitByDepartment(ctx, s.db.R, p.Scope)
	if errors.Is(err, errNotFound) {
		return "", apierr.PermissionDenied(apierr.UnitNotRegistered, "department %s is not registered as a unit; an admin ties it to one with SetUnit", p.Scope)
	}
	return u.Name, err
}

// ListTasks pages through tasks as p may see them, newest first.
func (s *Service) ListTasks(ctx context.Context, p auth.Principal, f TaskFilter, after string, limit int) ([]Task, error) {
	if err := s.scopeTasks(ctx, p, &f); err != nil {
		return nil, err
	}
	return listTasks(ctx, s.db.R, f, s.now(), after, limit)
}

// ReportRectified records the unit's report that a task is rectified: the
// task becomes REPORTED (awaiting re-inspection). It never closes a task.
func (s *Service) ReportRectified(ctx context.Context, tx *store.Tx, p auth.Principal, id, note string) (Task, error) {
	t, err := getTask(ctx, tx, id, forUpdate(tx))
	if errors.Is(err, errNotFound) {
		return Task{}, apierr.NotFound("rectification task", id)
	}
	if err != nil {
		return Task{}, err
	}
	if p.Role == auth.Officer {
		unit, err := s.officerUnit(ctx, p)
		if err != nil {
			return Task{}, err
		}
		if unit != t.Unit {
			// Another unit's task is not found, so its existence does not leak.
			return Task{}, apierr.NotFound("rectification task", id)
		}
	}
	if t.State == TaskClosed {
		return Task{}, apierr.FailedPrecondition(apierr.RectificationStateForbids,
			"task %s was closed by inspection %s; it takes no report", id, t.ClosingInspectionID)
	}
	t.State, t.ReportTime, t.ReportNote = TaskReported, s.now(), strings.TrimSpace(note)
	return t, reportTask(ctx, tx, t)
}

// UnitTasks counts one unit's tasks.
type UnitTasks struct {
	Unit                                                 string
	Total, Open, Reported, Closed, ClosedInTime, Overdue int
}

// CompletionRate is closed / total (0 without tasks).
func (u UnitTasks) CompletionRate() float64 { return ratio(u.Closed, u.Total) }

// InTimeRate is closed in time / total (0 without tasks).
func (u UnitTasks) InTimeRate() float64 { return ratio(u.ClosedInTime, u.Total) }

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// Summary counts tasks per unit (one unit when unit is set) as p may see
// them.
func (s *Service) Summary(ctx context.Context, p auth.Principal, unit string) ([]UnitTasks, error) {
	f := TaskFilter{Unit: unit}
	if p.Role == auth.Officer {
		if err := s.scopeTasks(ctx, p, &f); err != nil {
			return nil, err
		}
	}
	return taskSummary(ctx, s.db.R, f.Unit, s.now(), time.Time{}, time.Time{})
}
