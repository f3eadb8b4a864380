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

// addToDaily adds (sign 1) or removes (sign -1) a rating from the daily
// aggregates of its target. The same upsert works on both dialects.
func addToDaily(ctx context.Context, tx *store.Tx, r Rating, sign int) error {
	var c [5]int
	c[r.Level-1] = sign
	_, err := tx.ExecContext(ctx, tx.Rebind(
		`INSERT INTO feedback_daily (target_id, day, n, total, c1, c2, c3, c4, c5)
		 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		 ON CONFLICT (target_id, day) DO UPDATE SET
		     n = feedback_daily.n + excluded.n, total = feedback_daily.total + excluded.total,
		     c1 = feedback_daily.c1 + excluded.c1, c2 = feedback_daily.c2 + excluded.c2,
		     c3 = feedback_daily.c3 + excluded.c3, c4 = feedback_daily.c4 + excluded.c4,
		     c5 = feedback_daily.c5 + excluded.c5`),
		r.TargetID, r.Day, sign, sign*r.Level, c[0], c[1], c[2], c[3], c[4])
	if err != nil {
		return fmt.Errorf("feedback: update daily aggregate: %w", err)
	}
	for _, d := range r.Dimensions {
		_, err := tx.ExecContext(ctx, tx.Rebind(
			`INSERT INTO feedback_daily_dims (target_id, day, dimension, n, total) VALUES (?, ?, ?, ?, ?)
			 ON CONFLICT (target_id, day, dimension) DO UPDATE SET
			     n = feedback_daily_dims.n + excluded.n, total = feedback_daily_dims.total + excluded.total`),
			r.TargetID, r.Day, d.Key, sign, sign*d.Level)
		if err != nil {
			return fmt.Errorf("feedback: update daily dimension aggregate: %w", err)
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
