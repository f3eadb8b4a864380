package quiz

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/wenming/wenming/internal/store"
)

// errNotFound is returned by the SQL helpers when no row matches.
var errNotFound = errors.New("quiz: not found")

type questionRow struct {
	ID          string `db:"id"`
	Version     int    `db:"version"`
	State       string `db:"state"`
	Category    string `db:"category"`
	Type        string `db:"type"`
	Difficulty  string `db:"difficulty"`
	Stem        string `db:"stem"`
	Options     string `db:"options"`
	CorrectKeys string `db:"correct_keys"`
	Explanation string `db:"explanation"`
	Used        bool   `db:"used"`
	CreateTime  int64  `db:"create_time"`
	UpdateTime  int64  `db:"update_time"`
}

func (r questionRow) question() (question, error) {
	q := question{
		ID: r.ID, Version: r.Version, State: state(r.State),
		Content: Content{
			Category: r.Category, Type: r.Type, Difficulty: difficulty(r.Difficulty),
			Stem: r.Stem, Explanation: r.Explanation,
		},
		CreateTime: store.FromMicros(r.CreateTime),
		UpdateTime: store.FromMicros(r.UpdateTime),
	}
	if err := json.Unmarshal([]byte(r.Options), &q.Options); err != nil {
		return question{}, fmt.Errorf("quiz: question %s options: %w", r.ID, err)
	}
	if err := json.Unmarshal([]byte(r.CorrectKeys), &q.CorrectKeys); err != nil {
		return question{}, fmt.Errorf("quiz: question %s correct keys: %w", r.ID, err)
	}
	return q, nil
}

// selectQuestion reads a question joined with one of its versions; v.version
// is chosen by the caller's WHERE clause.
const selectQuestion = `
SELECT q.id, v.version, q.state, v.category, v.type, v.difficulty, v.stem, v.options,
       v.correct_keys, v.explanation, v.used, q.create_time, v.create_time AS update_time
FROM questions q JOIN question_versions v ON v.question_id = q.id`

func getQuestion(ctx context.Context, db store.Queryer, id string, version int) (question, error) {
	q, _, err := getQuestionUsed(ctx, db, id, version)
	return q, err
}

// getQuestionUsed is getQuestion that also reports whether an attempt has
// been shown that version.
func getQuestionUsed(ctx context.Context, db store.Queryer, id string, version int) (question, bool, error) {
	var r questionRow
	var err error
	if version == 0 {
		err = db.GetContext(ctx, &r, db.Rebind(selectQuestion+` WHERE q.id = ? AND v.version = q.current_version`), id)
	} else {
		err = db.GetContext(ctx, &r, db.Rebind(selectQuestion+` WHERE q.id = ? AND v.version = ?`), id, version)
	}
	if errors.Is(err, sql.ErrNoRows) {
		return question{}, false, errNotFound
	}
	if err != nil {
		return question{}, false, fmt.Errorf("quiz: get question: %w", err)
	}
	q, err := r.question()
	return q, r.Used, err
}

// questionFilter narrows ListQuestions.
type questionFilter struct {
	Category       string
	Type           string
	IncludeRetired bool
	// Difficulty, when set, keeps only that difficulty.
	Difficulty difficulty
}

func listQuestions(ctx context.Context, db store.Queryer, f questionFilter, after string, limit int) ([]question, error) {
	q := selectQuestion + ` AND v.version = q.current_version WHERE 1 = 1`
	var args []any
	if f.Category != "" {
		q += ` AND q.category = ?`
		args = append(args, f.Category)
	}
	if f.Type != "" {
		q += ` AND q.type = ?`
		args = append(args, f.Type)
	}
	if f.Difficulty != "" {
		q += ` AND q.difficulty = ?`
		args = append(args, string(f.Difficulty))
	}
	if !f.IncludeRetired {
		q += ` AND q.state = ?`
		args = append(args, string(active))
	}
	q, args = store.PageDesc(q, args, "q.id", after, limit)
	out, err := store.SelectAll(ctx, db, questionRow.question, q, args...)
	if err != nil {
		return nil, fmt.Errorf("quiz: list questions: %w", err)
	}
	return out, nil
}

func encodeContent(c Content) (options, correct string, err error) {
	o, err := json.Marshal(c.Options)
	if err != nil {
		return "", "", err
	}
	k, err := json.Marshal(c.CorrectKeys)
	if err != nil {
		return "", "", err
	}
	return string(o), string(k), nil
}

var (
	questionColumns = []string{"id", "current_version", "state", "category", "type", "difficulty", "create_time", "update_time"}
	versionColumns  = []string{"question_id", "version", "category", "type", "difficulty", "stem", "options",
		"correct_keys", "explanation", "used", "create_time"}
)

// insertQuestions stores new questions, each with its first version, in a
// few multi-row statements rather than two per question.
func insertQuestions(ctx context.Context, tx *store.Tx, qs []question) error {
	heads := make([][]any, len(qs))
	versions := make([][]any, len(qs))
	for i, q := range qs {
		heads[i] = []any{q.ID, q.Version, string(q.State), q.Category, q.Type, string(q.Difficulty),
			store.Micros(q.CreateTime), store.Micros(q.UpdateTime)}
		v, err := versionRow(q)
		if err != nil {
			return err
		}
		versions[i] = v
	}
	if err := store.InsertRows(ctx, tx, "questions", questionColumns, heads); err != nil {
		return fmt.Errorf("quiz: insert question: %w", err)
	}
	if err := store.InsertRows(ctx, tx, "question_versions", versionColumns, versions); err != nil {
		return fmt.Errorf("quiz: insert question version: %w", err)
	}
	return nil
}

func insertVersion(ctx context.Context, tx *store.Tx, q question) error {
	v, err := versionRow(q)
	if err != nil {
		return err
	}
	if err := store.InsertRows(ctx, tx, "question_versions", versionColumns, [][]any{v}); err != nil {
		return fmt.Errorf("quiz: insert question version: %w", err)
	}
	return nil
}

// versionRow is q's row of question_versions, unused, in versionColumns.
func versionRow(q question) ([]any, error) {
	options, correct, err := encodeContent(q.Content)
	if err != nil {
		return nil, err
	}
	return []any{q.ID, q.Version, q.Category, q.Type, string(q.Difficulty), q.Stem, options, correct,
		q.Explanation, false, store.Micros(q.UpdateTime)}, nil
}

// overwriteVersion rewrites a version no attempt has used yet, in place.
// It reports false, changing nothing, when the version is used after all:
// on PostgreSQL an attempt started since the caller read it may have
// marked it, and the edit must then become a new version instead.
func overwriteVersion(ctx context.Context, tx *store.Tx, q question) (bool, error) {
	options, correct, err := encodeContent(q.Content)
	if err != nil {
		return false, err
	}
	res, err := tx.ExecContext(ctx, tx.Rebind(
		`UPDATE question_versions SET category = ?, type = ?, difficulty = ?, stem = ?, options = ?,
		     correct_keys = ?, explanation = ?, create_time = ?
		 WHERE question_id = ? AND version = ? AND NOT used`),
		q.Category, q.Type, string(q.Difficulty), q.Stem, options, correct, q.Explanation,
		store.Micros(q.UpdateTime), q.ID, q.Version)
	if err != nil {
		return false, fmt.Errorf("quiz: update question version: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("quiz: update question version: %w", err)
	}
	return n == 1, nil
}

func updateHead(ctx context.Context, tx *store.Tx, q question) error {
	_, err := tx.ExecContext(ctx, tx.Rebind(
		`UPDATE questions SET current_version = ?, state = ?, category = ?, type = ?, difficulty = ?, update_time = ?
		 WHERE id = ?`),
		q.Version, string(q.State), q.Category, q.Type, string(q.Difficulty), store.Micros(q.UpdateTime), q.ID)
	if err != nil {
		return fmt.Errorf("quiz: update question: %w", err)
	}
	return nil
}

// MarkUsed records that an attempt has been shown this question version, so
// later edits create a new version instead of changing what it saw.
func MarkUsed(ctx context.Context, tx *store.Tx, id string, version int) error {
	return markUsed(ctx, tx, []itemKey{{ID: id, Version: version}})
}

// markUsed is MarkUsed for the versions of a whole paper, in one statement.
// On PostgreSQL it also locks the versions it marks until the transaction
// ends, so they read the same afterwards: an edit either went before or
// finds them used and makes a new version.
func markUsed(ctx context.Context, tx *store.Tx, keys []itemKey) error {
	if len(keys) == 0 {
		return nil
	}
	_, err := tx.ExecContext(ctx, tx.Rebind(
		`UPDATE question_versions SET used = TRUE WHERE NOT used AND (`+anyVersion("question_id", "version", len(keys))+`)`),
		versionArgs(keys)...)
	if err != nil {
		return fmt.Errorf("quiz: mark questions used: %w", err)
	}
	return nil
}

// questionVersions reads the listed question versions, keyed by version.
func questionVersions(ctx context.Context, db store.Queryer, keys []itemKey) (map[itemKey]question, error) {
	out := make(map[itemKey]question, len(keys))
	if len(keys) == 0 {
		return out, nil
	}
	qs, err := store.SelectAll(ctx, db, questionRow.question,
		selectQuestion+` WHERE `+anyVersion("v.question_id", "v.version", len(keys)), versionArgs(keys)...)
	if err != nil {
		return nil, fmt.Errorf("quiz: read questions: %w", err)
	}
	for _, q := range qs {
		out[itemKey{ID: q.ID, Version: q.Version}] = q
	}
	return out, nil
}

// anyVersion matches any of n question versions, given as versionArgs:
// (id = ? AND version = ?) OR … for the two named columns. It is written
// out rather than as a row-value IN list, which SQLite only takes with a
// subquery and PostgreSQL cannot type from a bare VALUES list.
func anyVersion(idCol, versionCol string, n int) string {
	one := "(" + idCol + " = ? AND " + versionCol + " = ?)"
	return strings.Repeat(one+" OR ", n-1) + one
}

func versionArgs(keys []itemKey) []any {
	args := make([]any, 0, 2*len(keys))
	for _, k := range keys {
		args = append(args, k.ID, k.Version)
	}
	return args
}

// questionByStem finds the active question whose current version has this
// category and stem (the natural key an import matches on).
func questionByStem(ctx context.Context, db store.Queryer, category, stem string) (string, error) {
	var id string
	err := db.GetContext(ctx, &id, db.Rebind(`SELECT q.id FROM questions q
		JOIN question_versions v ON v.question_id = q.id AND v.version = q.current_version
		WHERE v.category = ? AND v.stem = ? AND q.state = ? ORDER BY q.id LIMIT 1`), category, stem, string(active))
	if errors.Is(err, sql.ErrNoRows) {
		return "", errNotFound
	}
	if err != nil {
		return "", fmt.Errorf("quiz: find question by stem: %w", err)
	}
	return id, nil
}
