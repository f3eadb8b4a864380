package feedback

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/wenming/wenming/internal/store"
)

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
	return ratingTotals{}.remove(ctx, tx, r)
}
