package survey

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/proto"

	surveyv1 "github.com/wenming/wenming/gen/go/wenming/survey/v1"
	"github.com/wenming/wenming/internal/apierr"
	"github.com/wenming/wenming/internal/store"
)

// Questionnaires is the questionnaire registry.
type Questionnaires struct{ base }

func newID() (string, error) {
	id, err := uuid.NewV7()
	if err != nil {
		return "", err
	}
	return id.String(), nil
}

func questionnaireNotFound(id string, version int) error {
	if version != 0 {
		return apierr.NotFound("questionnaire version", fmt.Sprintf("%s@%d", id, version))
	}
	return apierr.NotFound("questionnaire", id)
}

// Create stores c (normalized, draft-valid) as draft version 1 inside tx.
func (qs *Questionnaires) Create(ctx context.Context, tx *store.Tx, c *surveyv1.QuestionnaireContent) (Questionnaire, error) {
	id, err := newID()
	if err != nil {
		return Questionnaire{}, err
	}
	t := store.Micros(qs.now())
	q := Questionnaire{ID: id, Version: 1, State: stateDraft, Content: c, CreateTime: t, UpdateTime: t}
	return q, insertQuestionnaire(ctx, tx, q)
}

// Get returns the given version, or the newest when version is 0.
func (qs *Questionnaires) Get(ctx context.Context, id string, v int) (Questionnaire, error) {
	return version(ctx, qs.db.R, id, v)
}

// version reads the given version (the newest for 0), NOT_FOUND when
// there is none.
func version(ctx context.Context, db store.Queryer, id string, v int) (Questionnaire, error) {
	q, err := getQuestionnaire(ctx, db, id, v)
	if errors.Is(err, errNotFound) {
		return Questionnaire{}, questionnaireNotFound(id, v)
	}
	return q, err
}

// List returns the newest version of each questionnaire, newest first.
func (qs *Questionnaires) List(ctx context.Context, after string, limit int) ([]Questionnaire, error) {
	return listQuestionnaires(ctx, qs.db.R, after, limit)
}

// Update replaces the content of the draft version.
func (qs *Questionnaires) Update(ctx context.Context, id string, c *surveyv1.QuestionnaireContent) (Questionnaire, error) {
	var out Questionnaire
	err := qs.db.WithTx(ctx, func(tx *store.Tx) error {
		q, err := version(ctx, tx, id, 0)
		if err != nil {
			return err
		}
		if q.State != stateDraft {
			return apierr.FailedPrecondition(apierr.QuestionnaireStateForbids,
				"questionnaire %s version %d is published and cannot change; draft version %d with NewQuestionnaireVersion",
				id, q.Version, q.Version+1)
		}
		q.Content = c
		q.UpdateTime = store.Micros(qs.now())
		out = q
		return updateDraftQuestionnaire(ctx, tx, q)
	})
	return out, err
}

// Publish validates the draft and makes it immutable. Publishing the
// newest version again returns it unchanged.
func (qs *Questionnaires) Publish(ctx context.Context, id string) (Questionnaire, error) {
	var out Questionnaire
	err := qs.db.WithTx(ctx, func(tx *store.Tx) error {
		q, err := version(ctx, tx, id, 0)
		if err != nil {
			return err
		}
		if q.State == statePublished {
			out = q
			return nil
		}
		var v apierr.Violations
		validateContent(q.Content, &v, "questionnaire.")
		if v.Len() > 0 {
			return notPublishable(&v, fmt.Sprintf("questionnaire %s version %d", id, q.Version))
		}
		q.State = statePublished
		q.UpdateTime = store.Micros(qs.now())
		q.PublishTime = q.UpdateTime
		out = q
		return markQuestionnairePublished(ctx, tx, q)
	})
	return out, err
}

// NewVersion drafts the version after the newest, published one, with its
// content, inside tx.
func (qs *Questionnaires) NewVersion(ctx context.Context, tx *store.Tx, id string) (Questionnaire, error) {
	cur, err := version(ctx, tx, id, 0)
	if err != nil {
		return Questionnaire{}, err
	}
	if cur.State == stateDraft {
		return Questionnaire{}, apierr.FailedPrecondition(apierr.QuestionnaireStateForbids,
			"questionnaire %s version %d is still a draft; edit that instead of drafting another", id, cur.Version)
	}
	t := store.Micros(qs.now())
	next := Questionnaire{
		ID: id, Version: cur.Version + 1, State: stateDraft,
		Content: proto.Clone(cur.Content).(*surveyv1.QuestionnaireContent), CreateTime: t, UpdateTime: t,
	}
	return next, insertQuestionnaire(ctx, tx, next)
}

// notPublishable turns violations into FAILED_PRECONDITION — the request is
// fine, the stored draft is not — keeping the BadRequest detail that names
// each field.
func notPublishable(v *apierr.Violations, what string) error {
	return v.Refuse(codes.FailedPrecondition, apierr.QuestionnaireNotPublishable, what+" cannot be published: ")
}
