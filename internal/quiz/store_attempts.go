package quiz

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/wenming/wenming/internal/store"
)

type attemptRow struct {
	ID            string        `db:"id"`
	ContestID     string        `db:"contest_id"`
	Pseudonym     string        `db:"pseudonym"`
	Number        int           `db:"attempt_number"`
	DisplayName   string        `db:"display_name"`
	Community     string        `db:"community"`
	KeyID         string        `db:"key_id"`
	State         string        `db:"state"`
	StartTime     int64         `db:"start_time"`
	Deadline      int64         `db:"deadline"`
	FinishTime    sql.NullInt64 `db:"finish_time"`
	QuestionCount int           `db:"question_count"`
	AnsweredCount int           `db:"answered_count"`
	Score         int64         `db:"score"`
	MaxScore      int64         `db:"max_score"`
}

func (r attemptRow) attempt() attempt {
	a := attempt{
		ID: r.ID, ContestID: r.ContestID, Pseudonym: r.Pseudonym, Number: r.Number,
		DisplayName: r.DisplayName, Community: r.Community, KeyID: r.KeyID, State: attemptState(r.State),
		StartTime: store.FromMicros(r.StartTime), Deadline: store.FromMicros(r.Deadline),
		QuestionCount: r.QuestionCount, AnsweredCount: r.AnsweredCount,
		ScoreCenti: r.Score, MaxScoreCenti: r.MaxScore,
	}
	if r.FinishTime.Valid {
		a.FinishTime = store.FromMicros(r.FinishTime.Int64)
	}
	return a
}

const attemptColumns = `id, contest_id, pseudonym, attempt_number, display_name, community, key_id, state,
    start_time, deadline, finish_time, question_count, answered_count, score, max_score`

const selectAttempt = `SELECT ` + attemptColumns + ` FROM attempts`

func getAttempt(ctx context.Context, db store.Queryer, id string) (attempt, error) {
	var r attemptRow
	err := db.GetContext(ctx, &r, db.Rebind(selectAttempt+` WHERE id = ?`), id)
	if errors.Is(err, sql.ErrNoRows) {
		return attempt{}, errNotFound
	}
	if err != nil {
		return attempt{}, fmt.Errorf("quiz: get attempt: %w", err)
	}
	return r.attempt(), nil
}

// getAttemptContest reads an attempt and its contest in one query.
func getAttemptContest(ctx context.Context, db store.Queryer, id string) (attempt, contest, error) {
	var r struct {
		attemptRow
		ContestState       string        `db:"contest_state"`
		Settings           string        `db:"settings"`
		ContestCreateTime  int64         `db:"contest_create_time"`
		ContestUpdateTime  int64         `db:"contest_update_time"`
		ContestPublishTime sql.NullInt64 `db:"contest_publish_time"`
	}
	err := db.GetContext(ctx, &r, db.Rebind(
		`SELECT a.id, a.contest_id, a.pseudonym, a.attempt_number, a.display_name, a.community, a.key_id, a.state,
		     a.start_time, a.deadline, a.finish_time, a.question_count, a.answered_count, a.score, a.max_score,
		     c.state AS contest_state, c.settings, c.create_time AS contest_create_time,
		     c.update_time AS contest_update_time, c.publish_time AS contest_publish_time
		 FROM attempts a JOIN contests c ON c.id = a.contest_id WHERE a.id = ?`), id)
	if errors.Is(err, sql.ErrNoRows) {
		return attempt{}, contest{}, errNotFound
	}
	if err != nil {
		return attempt{}, contest{}, fmt.Errorf("quiz: get attempt: %w", err)
	}
	c, err := contestRow{
		ID: r.ContestID, State: r.ContestState, Settings: r.Settings, CreateTime: r.ContestCreateTime,
		UpdateTime: r.ContestUpdateTime, PublishTime: r.ContestPublishTime,
	}.contest()
	return r.attempt(), c, err
}

// bumpParticipant counts one more attempt started by a participant and
// returns the new count. The upsert takes the row lock on PostgreSQL (and
// SQLite has one writer), so concurrent starts of one participant see
// distinct counts.
func bumpParticipant(ctx context.Context, tx *store.Tx, contestID, pseudonym string) (int, error) {
	var n int
	err := tx.GetContext(ctx, &n, tx.Rebind(
		`INSERT INTO contest_participants (contest_id, pseudonym, attempts_started) VALUES (?, ?, 1)
		 ON CONFLICT (contest_id, pseudonym) DO UPDATE SET attempts_started = contest_participants.attempts_started + 1
		 RETURNING attempts_started`), contestID, pseudonym)
	if err != nil {
		return 0, fmt.Errorf("quiz: count attempts: %w", err)
	}
	return n, nil
}

// paperColumns are the attempt_questions columns a new paper fills.
var paperColumns = []string{"attempt_id", "position", "question_id", "question_version", "option_order"}

// insertAttempt stores a new attempt and its paper (a row per position, in
// a few multi-row statements).
func insertAttempt(ctx context.Context, tx *store.Tx, a attempt, paper []PaperItem) error {
	_, err := tx.ExecContext(ctx, tx.Rebind(
		`INSERT INTO attempts (id, contest_id, pseudonym, attempt_number, display_name, community, key_id, state,
		     start_time, deadline, question_count, answered_count, score, max_score)
		 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, ?)`),
		a.ID, a.ContestID, a.Pseudonym, a.Number, a.DisplayName, a.Community, a.KeyID, string(a.State),
		store.Micros(a.StartTime), store.Micros(a.Deadline), a.QuestionCount, a.MaxScoreCenti)
	if err != nil {
		return fmt.Errorf("quiz: insert attempt: %w", err)
	}
	rows := make([][]any, len(paper))
	for i, it := range paper {
		order, err := json.Marshal(it.OptionOrder)
		if err != nil {
			return err
		}
		rows[i] = []any{a.ID, it.Position, it.Question.ID, it.Question.Version, string(order)}
	}
	if err := store.InsertRows(ctx, tx, "attempt_questions", paperColumns, rows); err != nil {
		return fmt.Errorf("quiz: insert paper: %w", err)
	}
	return nil
}

type paperRow struct {
	Position    int            `db:"position"`
	OptionOrder string         `db:"option_order"`
	Chosen      sql.NullString `db:"chosen_keys"`
	Correct     bool           `db:"correct"`
	Earned      int64          `db:"earned"`
	AnswerTime  sql.NullInt64  `db:"answer_time"`
	questionRow
}

const selectPaper = `SELECT p.position, p.option_order, p.chosen_keys, p.correct, p.earned, p.answer_time,
     q.id, v.version, q.state, v.category, v.type, v.difficulty, v.stem, v.options,
     v.correct_keys, v.explanation, v.used, q.create_time, v.create_time AS update_time
 FROM attempt_questions p
 JOIN question_versions v ON v.question_id = p.question_id AND v.version = p.question_version
 JOIN questions q ON q.id = p.question_id`

func (r paperRow) item() (PaperItem, error) {
	q, err := r.question()
	if err != nil {
		return PaperItem{}, err
	}
	it := PaperItem{Position: r.Position, Question: q, Correct: r.Correct, EarnedCenti: r.Earned}
	if err := json.Unmarshal([]byte(r.OptionOrder), &it.OptionOrder); err != nil {
		return PaperItem{}, fmt.Errorf("quiz: paper position %d option order: %w", r.Position, err)
	}
	if r.AnswerTime.Valid {
		it.Answered = true
		it.AnswerTime = store.FromMicros(r.AnswerTime.Int64)
		if err := json.Unmarshal([]byte(r.Chosen.String), &it.Chosen); err != nil {
			return PaperItem{}, fmt.Errorf("quiz: paper position %d answer: %w", r.Position, err)
		}
	}
	return it, nil
}

// paperOf returns the frozen paper of an attempt with the question versions
// it shows and the answers given, by position.
func paperOf(ctx context.Context, db store.Queryer, attemptID string) ([]PaperItem, error) {
	out, err := store.SelectAll(ctx, db, paperRow.item, selectPaper+` WHERE p.attempt_id = ? ORDER BY p.position`, attemptID)
	if err != nil {
		return nil, fmt.Errorf("quiz: read paper of attempt %s: %w", attemptID, err)
	}
	return out, nil
}

// paperItem returns one position of an attempt's paper, as paperOf would.
func paperItem(ctx context.Context, db store.Queryer, attemptID string, position int) (PaperItem, error) {
	var r paperRow
	err := db.GetContext(ctx, &r, db.Rebind(selectPaper+` WHERE p.attempt_id = ? AND p.position = ?`), attemptID, position)
	if errors.Is(err, sql.ErrNoRows) {
		return PaperItem{}, errNotFound
	}
	if err != nil {
		return PaperItem{}, fmt.Errorf("quiz: read paper of attempt %s: %w", attemptID, err)
	}
	it, err := r.item()
	if err != nil {
		return PaperItem{}, fmt.Errorf("quiz: read paper of attempt %s: %w", attemptID, err)
	}
	return it, nil
}

// recordAnswers stores the answers to some positions of attempt a, adds
// their points to it and sets a's answered count and score to the stored
// totals. It reports false, having changed nothing the caller should keep
// (it must roll back), if a position was already answered or the attempt
// is no longer taking answers at the latest AnswerTime: updating the
// attempt row first, on the condition that it is still in progress before
// its deadline, takes that row's lock on PostgreSQL, so an answer racing a
// submit or a close cannot slip in after the attempt was finished, and
// the totals it returns count every answer committed before.
func recordAnswers(ctx context.Context, tx *store.Tx, a *attempt, items []PaperItem) (bool, error) {
	var earned int64
	var at time.Time
	for _, it := range items {
		earned += it.EarnedCenti
		if it.AnswerTime.After(at) {
			at = it.AnswerTime
		}
	}
	var totals struct {
		Answered int   `db:"answered_count"`
		Score    int64 `db:"score"`
	}
	err := tx.GetContext(ctx, &totals, tx.Rebind(
		`UPDATE attempts SET answered_count = answered_count + ?, score = score + ?
		 WHERE id = ? AND state = ? AND deadline > ?
		 RETURNING answered_count, score`),
		len(items), earned, a.ID, string(inProgress), store.Micros(at))
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("quiz: record answer: %w", err)
	}
	update := tx.Rebind(`UPDATE attempt_questions SET chosen_keys = ?, correct = ?, earned = ?, answer_time = ?
		WHERE attempt_id = ? AND position = ? AND answer_time IS NULL`)
	for _, it := range items {
		chosen, err := json.Marshal(it.Chosen)
		if err != nil {
			return false, err
		}
		res, err := tx.ExecContext(ctx, update,
			string(chosen), it.Correct, it.EarnedCenti, store.Micros(it.AnswerTime), a.ID, it.Position)
		if err != nil {
			return false, fmt.Errorf("quiz: record answer: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return false, err
		}
	}
	a.AnsweredCount, a.ScoreCenti = totals.Answered, totals.Score
	return true, nil
}

// finishAttempt moves an attempt out of IN_PROGRESS and returns it as
// stored; it reports false if another transaction already did.
func finishAttempt(ctx context.Context, tx *store.Tx, id string, state attemptState, at time.Time) (attempt, bool, error) {
	var r attemptRow
	err := tx.GetContext(ctx, &r, tx.Rebind(
		`UPDATE attempts SET state = ?, finish_time = ? WHERE id = ? AND state = ?
		 RETURNING `+attemptColumns),
		string(state), store.Micros(at), id, string(inProgress))
	if errors.Is(err, sql.ErrNoRows) {
		return attempt{}, false, nil
	}
	if err != nil {
		return attempt{}, false, fmt.Errorf("quiz: finish attempt: %w", err)
	}
	return r.attempt(), true, nil
}

// overdueAttempts lists up to limit attempts of a contest still in
// progress whose deadline is at or before t.
func overdueAttempts(ctx context.Context, db store.Queryer, contestID string, t time.Time, limit int) ([]string, error) {
	var ids []string
	err := db.SelectContext(ctx, &ids, db.Rebind(
		`SELECT id FROM attempts WHERE contest_id = ? AND state = ? AND deadline <= ? LIMIT ?`),
		contestID, string(inProgress), store.Micros(t), limit)
	if err != nil {
		return nil, fmt.Errorf("quiz: find expired attempts: %w", err)
	}
	return ids, nil
}

// shortenDeadlines makes attempts in progress stop taking answers at t.
func shortenDeadlines(ctx context.Context, tx *store.Tx, contestID string, t time.Time) error {
	_, err := tx.ExecContext(ctx, tx.Rebind(
		`UPDATE attempts SET deadline = ? WHERE contest_id = ? AND state = ? AND deadline > ?`),
		store.Micros(t), contestID, string(inProgress), store.Micros(t))
	if err != nil {
		return fmt.Errorf("quiz: shorten deadlines: %w", err)
	}
	return nil
}
