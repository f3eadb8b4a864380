package supervision

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jmoiron/sqlx"

	"github.com/wenming/wenming/internal/store"
)

var errNotFound = errors.New("supervision: not found")

// forUpdate is the row-lock suffix of a SELECT on PostgreSQL; SQLite's
// write transactions already exclude each other.
func forUpdate(tx *store.Tx) string {
	if tx.DriverName() == "pgx" {
		return " FOR UPDATE"
	}
	return ""
}

type siteRef struct {
	ID       string `db:"id"`
	Category string `db:"category"`
	Unit     string `db:"unit"`
}

// frameSites reads the named sites (every site when ids is empty), by id.
func frameSites(ctx context.Context, q store.Queryer, ids []string) ([]siteRef, error) {
	var out []siteRef
	query, args := `SELECT id, category, unit FROM civ_sites ORDER BY id`, []any(nil)
	if len(ids) > 0 {
		var err error
		query, args, err = sqlx.In(`SELECT id, category, unit FROM civ_sites WHERE id IN (?) ORDER BY id`, ids)
		if err != nil {
			return nil, fmt.Errorf("supervision: frame sites: %w", err)
		}
	}
	if err := q.SelectContext(ctx, &out, q.Rebind(query), args...); err != nil {
		return nil, fmt.Errorf("supervision: frame sites: %w", err)
	}
	return out, nil
}

type drawRow struct {
	ID          string        `db:"id"`
	Name        string        `db:"name"`
	State       string        `db:"state"`
	Strata      string        `db:"strata"`
	Statement   string        `db:"statement"`
	FrameSHA256 string        `db:"frame_sha256"`
	Commitment  string        `db:"commitment"`
	Seed        string        `db:"seed"`
	Sample      string        `db:"sample"`
	RoundID     string        `db:"round_id"`
	CommitTime  int64         `db:"commit_time"`
	RevealTime  sql.NullInt64 `db:"reveal_time"`
}

func (r drawRow) draw(withFrame bool) (Draw, error) {
	d := Draw{
		ID: r.ID, Name: r.Name, State: r.State, Statement: r.Statement, FrameSHA256: r.FrameSHA256,
		Commitment: r.Commitment, Seed: r.Seed, RoundID: r.RoundID, CommitTime: store.FromMicros(r.CommitTime),
		Frame: Frame{Strata: r.Strata},
	}
	if r.RevealTime.Valid {
		d.RevealTime = store.FromMicros(r.RevealTime.Int64)
	}
	if r.Sample != "" {
		if err := json.Unmarshal([]byte(r.Sample), &d.Sample); err != nil {
			return Draw{}, fmt.Errorf("supervision: draw %s sample: %w", r.ID, err)
		}
	}
	if withFrame {
		f, err := ParseStatement(r.Statement)
		if err != nil {
			return Draw{}, fmt.Errorf("supervision: draw %s: %w", r.ID, err)
		}
		d.Frame = f
	} else {
		d.Statement = ""
	}
	return d, nil
}

const selectDraw = `SELECT id, name, state, strata, statement, frame_sha256, commitment, seed, sample, round_id,
       commit_time, reveal_time FROM civ_draws`

// getDraw reads a draw with its frame; suffix is "" or forUpdate(tx).
func getDraw(ctx context.Context, q store.Queryer, id, suffix string) (Draw, error) {
	query := selectDraw + ` WHERE id = ?` + suffix
	var r drawRow
	err := q.GetContext(ctx, &r, q.Rebind(query), id)
	if errors.Is(err, sql.ErrNoRows) {
		return Draw{}, errNotFound
	}
	if err != nil {
		return Draw{}, fmt.Errorf("supervision: get draw: %w", err)
	}
	return r.draw(true)
}

func listDraws(ctx context.Context, q store.Queryer, after string, limit int) ([]Draw, error) {
	query, args := store.PageDesc(selectDraw+` WHERE 1 = 1`, nil, "id", after, limit)
	out, err := store.SelectAll(ctx, q, func(r drawRow) (Draw, error) { return r.draw(false) }, query, args...)
	if err != nil {
		return nil, fmt.Errorf("supervision: list draws: %w", err)
	}
	return out, nil
}

func insertDraw(ctx context.Context, tx *store.Tx, d Draw) error {
	_, err := tx.ExecContext(ctx, tx.Rebind(`INSERT INTO civ_draws (id, name, state, strata, statement, frame_sha256,
		     commitment, seed, sample, round_id, commit_time) VALUES (?, ?, ?, ?, ?, ?, ?, '', '', '', ?)`),
		d.ID, d.Name, d.State, d.Frame.Strata, d.Statement, d.FrameSHA256, d.Commitment, store.Micros(d.CommitTime))
	if err != nil {
		return fmt.Errorf("supervision: insert draw: %w", err)
	}
	return nil
}

func revealDraw(ctx context.Context, tx *store.Tx, d Draw) error {
	sample, err := json.Marshal(d.Sample)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, tx.Rebind(`UPDATE civ_draws SET state = ?, seed = ?, sample = ?, round_id = ?,
		     reveal_time = ? WHERE id = ?`), d.State, d.Seed, string(sample), d.RoundID, store.Micros(d.RevealTime), d.ID)
	if err != nil {
		return fmt.Errorf("supervision: reveal draw: %w", err)
	}
	return nil
}
