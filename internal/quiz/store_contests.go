package quiz

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/jmoiron/sqlx"

	"github.com/wenming/wenming/internal/apierr"
	"github.com/wenming/wenming/internal/store"
)

type contestRow struct {
	ID          string        `db:"id"`
	State       string        `db:"state"`
	Settings    string        `db:"settings"`
	CreateTime  int64         `db:"create_time"`
	UpdateTime  int64         `db:"update_time"`
	PublishTime sql.NullInt64 `db:"publish_time"`
}

func (r contestRow) contest() (contest, error) {
	c := contest{
		ID: r.ID, State: contestState(r.State),
		CreateTime: store.FromMicros(r.CreateTime), UpdateTime: store.FromMicros(r.UpdateTime),
	}
	if r.PublishTime.Valid {
		c.PublishTime = store.FromMicros(r.PublishTime.Int64)
	}
	if err := json.Unmarshal([]byte(r.Settings), &c.Settings); err != nil {
		return contest{}, fmt.Errorf("quiz: contest %s settings: %w", r.ID, err)
	}
	return c, nil
}

const selectContest = `SELECT id, state, settings, create_time, update_time, publish_time FROM contests`

// getContest returns a contest, or NOT_FOUND naming it.
func getContest(ctx context.Context, db store.Queryer, id string) (contest, error) {
	var r contestRow
	err := db.GetContext(ctx, &r, db.Rebind(selectContest+` WHERE id = ?`), id)
	if errors.Is(err, sql.ErrNoRows) {
		return contest{}, apierr.NotFound("contest", id)
	}
	if err != nil {
		return contest{}, fmt.Errorf("quiz: get contest: %w", err)
	}
	return r.contest()
}

// contestFilter narrows listContests.
type contestFilter struct {
	State contestState
	// OpenAt, when not zero, keeps published contests whose window holds it.
	OpenAt int64
	// Community keeps contests open to everyone or to that community.
	Community string
}

func listContests(ctx context.Context, db store.Queryer, f contestFilter, after string, limit int) ([]contest, error) {
	q := selectContest + ` WHERE 1 = 1`
	var args []any
	if f.State != "" {
		q += ` AND state = ?`
		args = append(args, string(f.State))
	}
	if f.OpenAt != 0 {
		q += ` AND state = ? AND start_time <= ? AND end_time > ?`
		args = append(args, string(published), f.OpenAt, f.OpenAt)
	}
	if f.Community != "" {
		q += ` AND (community = '' OR community = ?)`
		args = append(args, f.Community)
	}
	q, args = store.PageDesc(q, args, "id", after, limit)
	out, err := store.SelectAll(ctx, db, contestRow.contest, q, args...)
	if err != nil {
		return nil, fmt.Errorf("quiz: list contests: %w", err)
	}
	return out, nil
}

func insertContest(ctx context.Context, tx *store.Tx, c contest) error {
	settings, err := json.Marshal(c.Settings)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, tx.Rebind(
		`INSERT INTO contests (id, state, community, start_time, end_time, settings, create_time, update_time)
		 VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
		c.ID, string(c.State), c.Community, store.Micros(c.StartTime), store.Micros(c.EndTime), string(settings),
		store.Micros(c.CreateTime), store.Micros(c.UpdateTime))
	if err != nil {
		return fmt.Errorf("quiz: insert contest: %w", err)
	}
	return nil
}

func updateContest(ctx context.Context, tx *store.Tx, c contest) error {
	settings, err := json.Marshal(c.Settings)
	if err != nil {
		return err
	}
	var publish any
	if !c.PublishTime.IsZero() {
		publish = store.Micros(c.PublishTime)
	}
	_, err = tx.ExecContext(ctx, tx.Rebind(
		`UPDATE contests SET state = ?, community = ?, start_time = ?, end_time = ?, settings = ?,
		     update_time = ?, publish_time = ?
		 WHERE id = ?`),
		string(c.State), c.Community, store.Micros(c.StartTime), store.Micros(c.EndTime), string(settings),
		store.Micros(c.UpdateTime), publish, c.ID)
	if err != nil {
		return fmt.Errorf("quiz: update contest: %w", err)
	}
	return nil
}

// questionRef is a question version a paper can show.
type questionRef struct {
	ID      string `db:"id"`
	Version int    `db:"current_version"`
	State   string `db:"state"`
}

// drawPools returns, for each draw, the current versions of the active
// questions it may pick from, in id order so a seeded draw is
// reproducible. One query reads the active questions of every category
// drawn from; each draw keeps those of its category (and difficulty).
func drawPools(ctx context.Context, db store.Queryer, draws []DrawRule) ([][]questionRef, error) {
	pools := make([][]questionRef, len(draws))
	if len(draws) == 0 {
		return pools, nil
	}
	var categories []string
	for _, d := range draws {
		if !slices.Contains(categories, d.Category) {
			categories = append(categories, d.Category)
		}
	}
	q, args, err := sqlx.In(`SELECT id, current_version, state, category, difficulty FROM questions
		WHERE state = ? AND category IN (?) ORDER BY id`, string(active), categories)
	if err != nil {
		return nil, fmt.Errorf("quiz: draw questions: %w", err)
	}
	var rows []struct {
		questionRef
		Category   string `db:"category"`
		Difficulty string `db:"difficulty"`
	}
	if err := db.SelectContext(ctx, &rows, db.Rebind(q), args...); err != nil {
		return nil, fmt.Errorf("quiz: draw questions: %w", err)
	}
	for _, r := range rows {
		for i, d := range draws {
			if r.Category == d.Category && (d.Difficulty == "" || difficulty(r.Difficulty) == d.Difficulty) {
				pools[i] = append(pools[i], r.questionRef)
			}
		}
	}
	return pools, nil
}

// questionRefs returns the current version and state of each listed
// question that exists, keyed by id.
func questionRefs(ctx context.Context, db store.Queryer, ids []string) (map[string]questionRef, error) {
	out := make(map[string]questionRef, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	q, args, err := sqlx.In(`SELECT id, current_version, state FROM questions WHERE id IN (?)`, ids)
	if err != nil {
		return nil, fmt.Errorf("quiz: look up questions: %w", err)
	}
	var refs []questionRef
	if err := db.SelectContext(ctx, &refs, db.Rebind(q), args...); err != nil {
		return nil, fmt.Errorf("quiz: look up questions: %w", err)
	}
	for _, r := range refs {
		out[r.ID] = r
	}
	return out, nil
}
