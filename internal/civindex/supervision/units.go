package supervision

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/wenming/wenming/internal/apierr"
	"github.com/wenming/wenming/internal/store"
)

// Unit ties a unit, as named on its sites, to its feedback department and
// quiz communities (docs/supervision.md, "Units").
type Unit struct {
	Name, DepartmentID string
	Communities        []string
	QuizTarget         int
}

// Validate trims and checks a unit.
func (u *Unit) Validate(v *apierr.Violations) {
	u.Name, u.DepartmentID = strings.TrimSpace(u.Name), strings.TrimSpace(u.DepartmentID)
	v.RequiredText("unit.name", u.Name, 100)
	v.Text("unit.department_id", u.DepartmentID, 64)
	if len(u.Communities) > 50 {
		v.Add("unit.communities", "has %d communities; the limit is 50", len(u.Communities))
	}
	for i := range u.Communities {
		u.Communities[i] = strings.TrimSpace(u.Communities[i])
		if u.Communities[i] == "" {
			v.Add(fmt.Sprintf("unit.communities[%d]", i), "is empty")
		}
		v.Text(fmt.Sprintf("unit.communities[%d]", i), u.Communities[i], 100)
	}
	slices.Sort(u.Communities)
	u.Communities = slices.Compact(u.Communities)
	if u.QuizTarget < 0 {
		v.Add("unit.quiz_target", "must not be negative")
	}
}

// SetUnit registers or replaces a unit. A department belongs to one unit
// at most.
func (s *Service) SetUnit(ctx context.Context, u Unit) (Unit, error) {
	err := s.db.WithTx(ctx, func(tx *store.Tx) error {
		if u.DepartmentID != "" {
			var n int
			if err := tx.GetContext(ctx, &n, tx.Rebind(`SELECT COUNT(*) FROM feedback_targets WHERE id = ? AND kind = 'DEPARTMENT'`),
				u.DepartmentID); err != nil {
				return fmt.Errorf("supervision: find department: %w", err)
			}
			if n == 0 {
				return apierr.Field("unit.department_id", "no feedback department has id %q", u.DepartmentID)
			}
			other, err := unitByDepartment(ctx, tx, u.DepartmentID)
			if err == nil && other.Name != u.Name {
				return apierr.Field("unit.department_id", "department %s already belongs to unit %q", u.DepartmentID, other.Name)
			}
			if err != nil && !errors.Is(err, errNotFound) {
				return err
			}
		}
		comm, err := json.Marshal(u.Communities)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, tx.Rebind(`INSERT INTO civ_units (name, department_id, communities, quiz_target, update_time)
			 VALUES (?, ?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET department_id = excluded.department_id,
			 communities = excluded.communities, quiz_target = excluded.quiz_target, update_time = excluded.update_time`),
			u.Name, u.DepartmentID, string(comm), u.QuizTarget, store.Micros(s.now()))
		if err != nil {
			return fmt.Errorf("supervision: set unit: %w", err)
		}
		return nil
	})
	return u, err
}

// ListUnits returns every registered unit by name.
func (s *Service) ListUnits(ctx context.Context) ([]Unit, error) {
	return store.SelectAll(ctx, s.db.R, unitRow.unit, selectUnit+` ORDER BY name`)
}

type unitRow struct {
	Name         string `db:"name"`
	DepartmentID string `db:"department_id"`
	Communities  string `db:"communities"`
	QuizTarget   int    `db:"quiz_target"`
	UpdateTime   int64  `db:"update_time"`
}

func (r unitRow) unit() (Unit, error) {
	u := Unit{Name: r.Name, DepartmentID: r.DepartmentID, QuizTarget: r.QuizTarget}
	if err := json.Unmarshal([]byte(r.Communities), &u.Communities); err != nil {
		return Unit{}, fmt.Errorf("supervision: unit %s communities: %w", r.Name, err)
	}
	return u, nil
}

const selectUnit = `SELECT name, department_id, communities, quiz_target, update_time FROM civ_units`

func unitByDepartment(ctx context.Context, q store.Queryer, dept string) (Unit, error) {
	var r unitRow
	err := q.GetContext(ctx, &r, q.Rebind(selectUnit+` WHERE department_id = ?`), dept)
	if errors.Is(err, sql.ErrNoRows) {
		return Unit{}, errNotFound
	}
	if err != nil {
		return Unit{}, fmt.Errorf("supervision: unit of department: %w", err)
	}
	return r.unit()
}
