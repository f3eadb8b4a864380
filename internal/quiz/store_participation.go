package quiz

import (
	"context"
	"fmt"
	"time"

	"github.com/wenming/wenming/internal/store"
	"github.com/wenming/wenming/internal/workcal"
)

// participationDays owns quiz_participation: a contest's attempts counted
// per community and local day (the server's zone when the attempt
// started), with how many of them were a participant's first in the
// contest. GetParticipation reads these days instead of a million
// attempts. count is the table's only writer, called by play.Start in the
// transaction that inserts the attempt; rebuild recomputes the days from
// the attempts, and a test checks the two agree.
type participationDays struct{}

// dayNumber is a date as the table keeps it, yyyymmdd.
func dayNumber(d workcal.Date) int { return d.Year*10000 + int(d.Month)*100 + d.Day }

func dateOfNumber(n int) workcal.Date {
	return workcal.NewDate(n/10000, time.Month(n/100%100), n%100)
}

// count adds one attempt started at t (first: the participant's first in
// the contest), inside tx.
func (participationDays) count(ctx context.Context, tx *store.Tx, contestID, community string, t time.Time, loc *time.Location, first bool) error {
	f := 0
	if first {
		f = 1
	}
	_, err := tx.ExecContext(ctx, tx.Rebind(
		`INSERT INTO quiz_participation (contest_id, community, day, attempts, first_attempts) VALUES (?, ?, ?, 1, ?)
		 ON CONFLICT (contest_id, community, day) DO UPDATE SET attempts = quiz_participation.attempts + 1,
		     first_attempts = quiz_participation.first_attempts + excluded.first_attempts`),
		contestID, community, dayNumber(workcal.DateOf(t.In(loc))), f)
	if err != nil {
		return fmt.Errorf("quiz: count participation: %w", err)
	}
	return nil
}

// participationDay is one community's day.
type participationDay struct {
	Community string `db:"community"`
	Day       int    `db:"day"`
	Attempts  int    `db:"attempts"`
	First     int    `db:"first_attempts"`
	// Running is how many of the attempts are still in progress (read
	// from the attempts, not kept).
	Running int `db:"-"`
}

// read returns the days from..to of a contest.
func (participationDays) read(ctx context.Context, db store.Queryer, contestID string, from, to workcal.Date) ([]participationDay, error) {
	var out []participationDay
	err := db.SelectContext(ctx, &out, db.Rebind(`SELECT community, day, attempts, first_attempts FROM quiz_participation
		WHERE contest_id = ? AND day >= ? AND day <= ? ORDER BY community, day`), contestID, dayNumber(from), dayNumber(to))
	if err != nil {
		return nil, fmt.Errorf("quiz: read participation: %w", err)
	}
	return out, nil
}

// running counts the attempts still in progress per community and day:
// few at any moment (one per kiosk in use), found through the
// attempts_running index.
func (participationDays) running(ctx context.Context, db store.Queryer, contestID string, loc *time.Location) (map[[2]any]int, error) {
	var rows []struct {
		Community string `db:"community"`
		StartTime int64  `db:"start_time"`
	}
	err := db.SelectContext(ctx, &rows, db.Rebind(`SELECT community, start_time FROM attempts WHERE contest_id = ? AND state = ?`),
		contestID, string(inProgress))
	if err != nil {
		return nil, fmt.Errorf("quiz: running attempts: %w", err)
	}
	out := map[[2]any]int{}
	for _, r := range rows {
		out[[2]any{r.Community, dayNumber(workcal.DateOf(time.UnixMicro(r.StartTime).In(loc)))}]++
	}
	return out, nil
}

// rebuild computes a contest's days from its attempts, as count would
// have kept them.
func (participationDays) rebuild(ctx context.Context, db store.Queryer, contestID string, loc *time.Location) ([]participationDay, error) {
	var rows []struct {
		Community string `db:"community"`
		Number    int    `db:"attempt_number"`
		StartTime int64  `db:"start_time"`
	}
	err := db.SelectContext(ctx, &rows, db.Rebind(`SELECT community, attempt_number, start_time FROM attempts WHERE contest_id = ?`), contestID)
	if err != nil {
		return nil, err
	}
	byKey := map[[2]any]*participationDay{}
	var out []participationDay
	for _, r := range rows {
		k := [2]any{r.Community, dayNumber(workcal.DateOf(time.UnixMicro(r.StartTime).In(loc)))}
		d := byKey[k]
		if d == nil {
			d = &participationDay{Community: r.Community, Day: k[1].(int)}
			byKey[k] = d
		}
		d.Attempts++
		if r.Number == 1 {
			d.First++
		}
	}
	for _, d := range byKey {
		out = append(out, *d)
	}
	return out, nil
}

// RebuildParticipation recomputes quiz_participation from the attempts,
// with days in loc (the zone the servers run in), in a transaction of its
// own: for checking that nothing has drifted (the crash harness compares
// the kept days with a rebuild) and for attempts loaded behind the
// service's back.
func RebuildParticipation(ctx context.Context, db *store.DB, loc *time.Location) error {
	return db.WithTx(ctx, func(tx *store.Tx) error {
		var contests []string
		if err := tx.SelectContext(ctx, &contests, `SELECT DISTINCT contest_id FROM attempts ORDER BY contest_id`); err != nil {
			return fmt.Errorf("quiz: rebuild participation: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM quiz_participation`); err != nil {
			return fmt.Errorf("quiz: rebuild participation: %w", err)
		}
		for _, c := range contests {
			days, err := participationDays{}.rebuild(ctx, tx, c, loc)
			if err != nil {
				return fmt.Errorf("quiz: rebuild participation of %s: %w", c, err)
			}
			for _, d := range days {
				if _, err := tx.ExecContext(ctx, tx.Rebind(
					`INSERT INTO quiz_participation (contest_id, community, day, attempts, first_attempts) VALUES (?, ?, ?, ?, ?)`),
					c, d.Community, d.Day, d.Attempts, d.First); err != nil {
					return fmt.Errorf("quiz: rebuild participation: %w", err)
				}
			}
		}
		return nil
	})
}
