package survey

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"

	surveyv1 "github.com/wenming/wenming/gen/go/wenming/survey/v1"
	"github.com/wenming/wenming/internal/store"
)

// errNotFound is returned by the SQL helpers when no row matches.
var errNotFound = errors.New("survey: not found")

// Questionnaire states as stored.
const (
	stateDraft     = "DRAFT"
	statePublished = "PUBLISHED"
)

// Questionnaire is one stored version.
type Questionnaire struct {
	ID          string
	Version     int
	State       string
	Content     *surveyv1.QuestionnaireContent
	CreateTime  int64
	UpdateTime  int64
	PublishTime int64
}

type questionnaireRow struct {
	ID          string        `db:"id"`
	Version     int           `db:"version"`
	State       string        `db:"state"`
	Content     string        `db:"content"`
	CreateTime  int64         `db:"create_time"`
	UpdateTime  int64         `db:"update_time"`
	PublishTime sql.NullInt64 `db:"publish_time"`
}

func (r questionnaireRow) questionnaire() (Questionnaire, error) {
	q := Questionnaire{
		ID: r.ID, Version: r.Version, State: r.State, Content: &surveyv1.QuestionnaireContent{},
		CreateTime: r.CreateTime, UpdateTime: r.UpdateTime, PublishTime: r.PublishTime.Int64,
	}
	if err := protojson.Unmarshal([]byte(r.Content), q.Content); err != nil {
		return Questionnaire{}, fmt.Errorf("survey: questionnaire %s v%d content: %w", r.ID, r.Version, err)
	}
	return q, nil
}

// marshalDoc is how content documents are stored: protojson, field names
// as in the proto, so the column reads like the API.
func marshalDoc(m proto.Message) (string, error) {
	b, err := protojson.MarshalOptions{UseProtoNames: true}.Marshal(m)
	return string(b), err
}

const selectQuestionnaire = `SELECT id, version, state, content, create_time, update_time, publish_time FROM svy_questionnaires`

// getQuestionnaire returns the given version, or the newest when version
// is 0.
func getQuestionnaire(ctx context.Context, db store.Queryer, id string, version int) (Questionnaire, error) {
	var r questionnaireRow
	var err error
	if version == 0 {
		err = db.GetContext(ctx, &r, db.Rebind(selectQuestionnaire+` WHERE id = ? ORDER BY version DESC LIMIT 1`), id)
	} else {
		err = db.GetContext(ctx, &r, db.Rebind(selectQuestionnaire+` WHERE id = ? AND version = ?`), id, version)
	}
	if errors.Is(err, sql.ErrNoRows) {
		return Questionnaire{}, errNotFound
	}
	if err != nil {
		return Questionnaire{}, fmt.Errorf("survey: get questionnaire: %w", err)
	}
	return r.questionnaire()
}

// listQuestionnaires returns the newest version of each questionnaire, by
// id descending, after the given id.
func listQuestionnaires(ctx context.Context, db store.Queryer, after string, limit int) ([]Questionnaire, error) {
	q := selectQuestionnaire + ` f WHERE version = (SELECT MAX(version) FROM svy_questionnaires g WHERE g.id = f.id)`
	q, args := store.PageDesc(q, nil, "id", after, limit)
	out, err := store.SelectAll(ctx, db, questionnaireRow.questionnaire, q, args...)
	if err != nil {
		return nil, fmt.Errorf("survey: list questionnaires: %w", err)
	}
	return out, nil
}

func insertQuestionnaire(ctx context.Context, tx *store.Tx, q Questionnaire) error {
	content, err := marshalDoc(q.Content)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, tx.Rebind(
		`INSERT INTO svy_questionnaires (id, version, state, title, content, create_time, update_time, publish_time)
		 VALUES (?, ?, ?, ?, ?, ?, ?, NULL)`),
		q.ID, q.Version, stateDraft, q.Content.GetTitle().GetZh(), content, q.CreateTime, q.UpdateTime)
	if err != nil {
		return fmt.Errorf("survey: insert questionnaire: %w", err)
	}
	return nil
}

// updateDraftQuestionnaire rewrites a draft version; a published one is
// never touched.
func updateDraftQuestionnaire(ctx context.Context, tx *store.Tx, q Questionnaire) error {
	content, err := marshalDoc(q.Content)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, tx.Rebind(
		`UPDATE svy_questionnaires SET title = ?, content = ?, update_time = ?
		 WHERE id = ? AND version = ? AND state = ?`),
		q.Content.GetTitle().GetZh(), content, q.UpdateTime, q.ID, q.Version, stateDraft)
	if err != nil {
		return fmt.Errorf("survey: update questionnaire: %w", err)
	}
	return nil
}

func markQuestionnairePublished(ctx context.Context, tx *store.Tx, q Questionnaire) error {
	_, err := tx.ExecContext(ctx, tx.Rebind(
		`UPDATE svy_questionnaires SET state = ?, update_time = ?, publish_time = ?
		 WHERE id = ? AND version = ? AND state = ?`),
		statePublished, q.UpdateTime, q.PublishTime, q.ID, q.Version, stateDraft)
	if err != nil {
		return fmt.Errorf("survey: publish questionnaire: %w", err)
	}
	return nil
}
