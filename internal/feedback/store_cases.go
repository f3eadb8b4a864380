package feedback

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/wenming/wenming/internal/store"
)

type caseRow struct {
	ID             string         `db:"id"`
	RatingID       string         `db:"rating_id"`
	TargetID       string         `db:"target_id"`
	TargetName     string         `db:"target_name"`
	DepartmentID   string         `db:"department_id"`
	State          string         `db:"state"`
	OpenTime       int64          `db:"open_time"`
	DueTime        int64          `db:"due_time"`
	CloseTime      sql.NullInt64  `db:"close_time"`
	Verdict        string         `db:"verdict"`
	HandoverTo     string         `db:"handover_to"`
	AppealEvidence string         `db:"appeal_evidence"`
	AppealFrom     string         `db:"appeal_from"`
	UpdateTime     int64          `db:"update_time"`
	Level          int            `db:"level"`
	Comment        string         `db:"comment"`
	Tags           string         `db:"tags"`
	Channel        string         `db:"channel"`
	Contact        []byte         `db:"contact"`
	RatingTime     int64          `db:"rating_time"`
	PublicCode     sql.NullString `db:"public_code"`
}

func (r caseRow) toCase() (Case, error) {
	c := Case{
		ID: r.ID, RatingID: r.RatingID, TargetID: r.TargetID, TargetName: r.TargetName,
		DepartmentID: r.DepartmentID, State: caseState(r.State),
		OpenTime: store.FromMicros(r.OpenTime), DueTime: store.FromMicros(r.DueTime),
		Verdict: Verdict(r.Verdict), HandoverTo: r.HandoverTo, AppealEvidence: r.AppealEvidence,
		AppealFrom: caseState(r.AppealFrom), UpdateTime: store.FromMicros(r.UpdateTime), PublicCode: r.PublicCode.String,
		Rating: rating{
			ID: r.RatingID, TargetID: r.TargetID, Level: r.Level, Comment: r.Comment,
			Channel: Channel(r.Channel), Contact: r.Contact, CreateTime: store.FromMicros(r.RatingTime),
		},
	}
	if r.CloseTime.Valid {
		c.CloseTime = store.FromMicros(r.CloseTime.Int64)
	}
	if err := json.Unmarshal([]byte(r.Tags), &c.Rating.Tags); err != nil {
		return Case{}, fmt.Errorf("feedback: case %s tags: %w", r.ID, err)
	}
	return c, nil
}

const selectCase = `
SELECT c.id, c.rating_id, c.target_id, t.name AS target_name, c.department_id, c.state, c.open_time,
       c.due_time, c.close_time, c.verdict, c.handover_to, c.appeal_evidence, c.appeal_from, c.update_time,
       r.level, r.comment, r.tags, r.channel, r.contact, r.create_time AS rating_time, c.public_code
FROM feedback_cases c
JOIN feedback_ratings r ON r.id = c.rating_id
JOIN feedback_targets t ON t.id = c.target_id`

// lockCase makes concurrent transitions of one case queue up on
// PostgreSQL, so each sees the state the previous one left. SQLite needs
// nothing: its writer transactions already run one at a time.
func lockCase(ctx context.Context, tx *store.Tx, d store.Dialect, id string) error {
	if d != store.Postgres {
		return nil
	}
	var got string
	err := tx.GetContext(ctx, &got, tx.Rebind(`SELECT id FROM feedback_cases WHERE id = ? FOR UPDATE`), id)
	if errors.Is(err, sql.ErrNoRows) {
		return errNotFound
	}
	if err != nil {
		return fmt.Errorf("feedback: lock case: %w", err)
	}
	return nil
}

func getCase(ctx context.Context, db store.Queryer, id string) (Case, error) {
	var r caseRow
	err := db.GetContext(ctx, &r, db.Rebind(selectCase+` WHERE c.id = ?`), id)
	if errors.Is(err, sql.ErrNoRows) {
		return Case{}, errNotFound
	}
	if err != nil {
		return Case{}, fmt.Errorf("feedback: get case: %w", err)
	}
	return r.toCase()
}

// caseFilter narrows ListCases.
type caseFilter struct {
	State        caseState
	DepartmentID string
	// VisibleTo, when set, keeps cases owned by or offered to that
	// department (an officer's scope).
	VisibleTo string
	// OverdueAt, when non-zero (micros), keeps cases overdue at that time.
	OverdueAt int64
	// OpenFrom and OpenTo (micros, To exclusive), when non-zero, bound the
	// opening time.
	OpenFrom, OpenTo int64
}

func listCases(ctx context.Context, db store.Queryer, f caseFilter, after string, limit int) ([]Case, error) {
	q := selectCase + ` WHERE 1 = 1`
	var args []any
	if f.State != "" {
		q += ` AND c.state = ?`
		args = append(args, string(f.State))
	}
	if f.DepartmentID != "" {
		q += ` AND c.department_id = ?`
		args = append(args, f.DepartmentID)
	}
	if f.VisibleTo != "" {
		q += ` AND (c.department_id = ? OR c.handover_to = ?)`
		args = append(args, f.VisibleTo, f.VisibleTo)
	}
	if f.OverdueAt != 0 {
		// The same states as Case.Overdue, so the filter and the flag agree.
		q += ` AND c.state IN (?` + strings.Repeat(`, ?`, len(working)-1) + `) AND c.due_time <= ?`
		for _, st := range working {
			args = append(args, string(st))
		}
		args = append(args, f.OverdueAt)
	}
	if f.OpenFrom != 0 {
		q += ` AND c.open_time >= ?`
		args = append(args, f.OpenFrom)
	}
	if f.OpenTo != 0 {
		q += ` AND c.open_time < ?`
		args = append(args, f.OpenTo)
	}
	q, args = store.PageDesc(q, args, "c.id", after, limit)
	out, err := store.SelectAll(ctx, db, caseRow.toCase, q, args...)
	if err != nil {
		return nil, fmt.Errorf("feedback: list cases: %w", err)
	}
	return out, nil
}

func insertCase(ctx context.Context, tx *store.Tx, c Case) error {
	_, err := tx.ExecContext(ctx, tx.Rebind(
		`INSERT INTO feedback_cases (id, rating_id, target_id, department_id, state, open_time, due_time, close_time,
		     verdict, handover_to, appeal_evidence, appeal_from, update_time, public_code)
		 VALUES (?, ?, ?, ?, ?, ?, ?, NULL, '', '', '', '', ?, ?)`),
		c.ID, c.RatingID, c.TargetID, c.DepartmentID, string(c.State), store.Micros(c.OpenTime),
		store.Micros(c.DueTime), store.Micros(c.UpdateTime), c.PublicCode)
	if err != nil {
		return fmt.Errorf("feedback: insert case: %w", err)
	}
	return nil
}

func updateCaseRow(ctx context.Context, tx *store.Tx, c Case) error {
	var closed sql.NullInt64
	if !c.CloseTime.IsZero() {
		closed = sql.NullInt64{Int64: store.Micros(c.CloseTime), Valid: true}
	}
	_, err := tx.ExecContext(ctx, tx.Rebind(
		`UPDATE feedback_cases SET department_id = ?, state = ?, close_time = ?, verdict = ?, handover_to = ?,
		     appeal_evidence = ?, appeal_from = ?, update_time = ?
		 WHERE id = ?`),
		c.DepartmentID, string(c.State), closed, string(c.Verdict), c.HandoverTo, c.AppealEvidence,
		string(c.AppealFrom), store.Micros(c.UpdateTime), c.ID)
	if err != nil {
		return fmt.Errorf("feedback: update case: %w", err)
	}
	return nil
}

func insertEvent(ctx context.Context, tx *store.Tx, caseID string, e event) error {
	_, err := tx.ExecContext(ctx, tx.Rebind(
		`INSERT INTO feedback_case_events (case_id, seq, action, actor_key_id, actor_name, time, note,
		     from_state, to_state, department_id)
		 VALUES (?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM feedback_case_events WHERE case_id = ?),
		     ?, ?, ?, ?, ?, ?, ?, ?)`),
		caseID, caseID, string(e.Action), e.ActorKeyID, e.ActorName, store.Micros(e.Time), e.Note,
		string(e.From), string(e.To), e.DepartmentID)
	if err != nil {
		return fmt.Errorf("feedback: insert case event: %w", err)
	}
	return nil
}

func listEvents(ctx context.Context, db store.Queryer, caseID string) ([]event, error) {
	var rows []struct {
		Seq          int    `db:"seq"`
		Action       string `db:"action"`
		ActorKeyID   string `db:"actor_key_id"`
		ActorName    string `db:"actor_name"`
		Time         int64  `db:"time"`
		Note         string `db:"note"`
		From         string `db:"from_state"`
		To           string `db:"to_state"`
		DepartmentID string `db:"department_id"`
	}
	err := db.SelectContext(ctx, &rows, db.Rebind(
		`SELECT seq, action, actor_key_id, actor_name, time, note, from_state, to_state, department_id
		 FROM feedback_case_events WHERE case_id = ? ORDER BY seq`), caseID)
	if err != nil {
		return nil, fmt.Errorf("feedback: list case events: %w", err)
	}
	out := make([]event, len(rows))
	for i, r := range rows {
		out[i] = event{
			Seq: r.Seq, Action: action(r.Action), ActorKeyID: r.ActorKeyID, ActorName: r.ActorName,
			Time: store.FromMicros(r.Time), Note: r.Note, From: caseState(r.From), To: caseState(r.To),
			DepartmentID: r.DepartmentID,
		}
	}
	return out, nil
}
