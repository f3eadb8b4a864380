package feedback

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/wenming/wenming/internal/store"
)

func insertRating(ctx context.Context, tx *store.Tx, r Rating) error {
	dims, err := json.Marshal(nonNil(r.Dimensions))
	if err != nil {
		return err
	}
	tags, err := json.Marshal(nonNil(r.Tags))
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, tx.Rebind(
		`INSERT INTO feedback_ratings (id, target_id, department_id, level, dimensions, tags, comment, channel,
		     contact, day, excluded, create_time)
		 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, FALSE, ?)`),
		r.ID, r.TargetID, r.DepartmentID, r.Level, string(dims), string(tags), r.Comment, string(r.Channel),
		r.Contact, r.Day, store.Micros(r.CreateTime))
	if err != nil {
		return fmt.Errorf("feedback: insert rating: %w", err)
	}
	return addToDaily(ctx, tx, r, 1)
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// grain is one level of the maintained aggregates: per target and local
// day (yyyymmdd), or per target and month (yyyymm). Table and column names
// are these constants, never input.
type grain struct{ table, dims, key string }

var (
	daily   = grain{table: "feedback_daily", dims: "feedback_daily_dims", key: "day"}
	monthly = grain{table: "feedback_monthly", dims: "feedback_monthly_dims", key: "month"}
)

// keyOf is the grain's key for a yyyymmdd day.
func (g grain) keyOf(day int) int {
	if g == monthly {
		return day / 100
	}
	return day
}

// addToDaily adds (sign 1) or removes (sign -1) a rating from the daily and
// monthly aggregates of its target. The same upsert works on both dialects.
func addToDaily(ctx context.Context, tx *store.Tx, r Rating, sign int) error {
	for _, g := range []grain{daily, monthly} {
		if err := addToGrain(ctx, tx, g, r, sign); err != nil {
			return err
		}
	}
	return nil
}

func addToGrain(ctx context.Context, tx *store.Tx, g grain, r Rating, sign int) error {
	var c [5]int
	c[r.Level-1] = sign
	key := g.keyOf(r.Day)
	_, err := tx.ExecContext(ctx, tx.Rebind(fmt.Sprintf(
		`INSERT INTO %[1]s (target_id, %[2]s, n, total, c1, c2, c3, c4, c5)
		 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		 ON CONFLICT (target_id, %[2]s) DO UPDATE SET
		     n = %[1]s.n + excluded.n, total = %[1]s.total + excluded.total,
		     c1 = %[1]s.c1 + excluded.c1, c2 = %[1]s.c2 + excluded.c2,
		     c3 = %[1]s.c3 + excluded.c3, c4 = %[1]s.c4 + excluded.c4,
		     c5 = %[1]s.c5 + excluded.c5`, g.table, g.key)),
		r.TargetID, key, sign, sign*r.Level, c[0], c[1], c[2], c[3], c[4])
	if err != nil {
		return fmt.Errorf("feedback: update %s: %w", g.table, err)
	}
	for _, d := range r.Dimensions {
		_, err := tx.ExecContext(ctx, tx.Rebind(fmt.Sprintf(
			`INSERT INTO %[1]s (target_id, %[2]s, dimension, n, total) VALUES (?, ?, ?, ?, ?)
			 ON CONFLICT (target_id, %[2]s, dimension) DO UPDATE SET
			     n = %[1]s.n + excluded.n, total = %[1]s.total + excluded.total`, g.dims, g.key)),
			r.TargetID, key, d.Key, sign, sign*d.Level)
		if err != nil {
			return fmt.Errorf("feedback: update %s: %w", g.dims, err)
		}
	}
	return nil
}

type ratingRow struct {
	ID           string `db:"id"`
	TargetID     string `db:"target_id"`
	DepartmentID string `db:"department_id"`
	Level        int    `db:"level"`
	Dimensions   string `db:"dimensions"`
	Tags         string `db:"tags"`
	Comment      string `db:"comment"`
	Channel      string `db:"channel"`
	Contact      []byte `db:"contact"`
	Day          int    `db:"day"`
	Excluded     bool   `db:"excluded"`
	CreateTime   int64  `db:"create_time"`
}

func (r ratingRow) rating() (Rating, error) {
	out := Rating{
		ID: r.ID, TargetID: r.TargetID, DepartmentID: r.DepartmentID, Level: r.Level, Comment: r.Comment,
		Channel: Channel(r.Channel), Contact: r.Contact, Day: r.Day, Excluded: r.Excluded,
		CreateTime: store.FromMicros(r.CreateTime),
	}
	if err := json.Unmarshal([]byte(r.Dimensions), &out.Dimensions); err != nil {
		return Rating{}, fmt.Errorf("feedback: rating %s dimensions: %w", r.ID, err)
	}
	if err := json.Unmarshal([]byte(r.Tags), &out.Tags); err != nil {
		return Rating{}, fmt.Errorf("feedback: rating %s tags: %w", r.ID, err)
	}
	return out, nil
}

const selectRating = `SELECT r.id, r.target_id, r.department_id, r.level, r.dimensions, r.tags, r.comment,
       r.channel, r.contact, r.day, r.excluded, r.create_time FROM feedback_ratings r`

func getRating(ctx context.Context, db store.Queryer, id string) (Rating, error) {
	var r ratingRow
	if err := db.GetContext(ctx, &r, db.Rebind(selectRating+` WHERE r.id = ?`), id); err != nil {
		return Rating{}, fmt.Errorf("feedback: get rating: %w", err)
	}
	return r.rating()
}

// excludeRating marks a rating excluded and takes it out of the aggregates;
// excluding twice changes nothing.
func excludeRating(ctx context.Context, tx *store.Tx, id string) error {
	r, err := getRating(ctx, tx, id)
	if err != nil || r.Excluded {
		return err
	}
	if _, err := tx.ExecContext(ctx, tx.Rebind(`UPDATE feedback_ratings SET excluded = TRUE WHERE id = ?`), id); err != nil {
		return fmt.Errorf("feedback: exclude rating: %w", err)
	}
	return addToDaily(ctx, tx, r, -1)
}
