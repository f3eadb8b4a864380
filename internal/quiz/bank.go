package quiz

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/google/uuid"

	"github.com/wenming/wenming/internal/apierr"
	"github.com/wenming/wenming/internal/store"
)

// bank is the question bank.
type bank struct {
	db  *store.DB
	now func() time.Time
}

// newBank returns the question bank over db with the given clock.
func newBank(db *store.DB, now func() time.Time) *bank { return &bank{db: db, now: now} }

func (b *bank) clock() time.Time { return store.Stamp(b.now()) }

// newQuestion builds version 1 of a question from validated content,
// created at t.
func newQuestion(c Content, t time.Time) (question, error) {
	id, err := uuid.NewV7()
	if err != nil {
		return question{}, err
	}
	return question{ID: id.String(), Version: 1, Content: c, State: active, CreateTime: t, UpdateTime: t}, nil
}

// Create adds a validated question inside tx.
func (b *bank) Create(ctx context.Context, tx *store.Tx, c Content) (question, error) {
	q, err := newQuestion(c, b.clock())
	if err != nil {
		return question{}, err
	}
	if err := insertQuestions(ctx, tx, []question{q}); err != nil {
		return question{}, err
	}
	return q, nil
}

// Get returns the current version of a question, or the given version.
func (b *bank) Get(ctx context.Context, id string, version int) (question, error) {
	q, err := getQuestion(ctx, b.db.R, id, version)
	if errors.Is(err, errNotFound) {
		if version != 0 {
			return question{}, apierr.NotFound("question version", id+"@"+strconv.Itoa(version))
		}
		return question{}, apierr.NotFound("question", id)
	}
	return q, err
}

// List returns up to limit questions after the given id, newest first.
func (b *bank) List(ctx context.Context, f questionFilter, after string, limit int) ([]question, error) {
	return listQuestions(ctx, b.db.R, f, after, limit)
}

// Update replaces a question's content. If an attempt has been shown the
// current version, the content goes into a new version; otherwise the
// current version is rewritten, since nobody has seen it.
func (b *bank) Update(ctx context.Context, id string, c Content) (question, error) {
	var out question
	err := b.db.WithTx(ctx, func(tx *store.Tx) error {
		cur, used, err := getQuestionUsed(ctx, tx, id, 0)
		if errors.Is(err, errNotFound) {
			return apierr.NotFound("question", id)
		}
		if err != nil {
			return err
		}
		if cur.State == retired {
			return apierr.FailedPrecondition(apierr.QuestionRetired, "question %s is retired; create a new question instead", id)
		}
		next := cur
		next.Content = c
		next.UpdateTime = b.clock()
		if !used {
			// An attempt may have used the version since it was read; the
			// edit then becomes a new version after all.
			overwritten, err := overwriteVersion(ctx, tx, next)
			if err != nil {
				return err
			}
			used = !overwritten
		}
		if used {
			next.Version = cur.Version + 1
			if err := insertVersion(ctx, tx, next); err != nil {
				return err
			}
		}
		out = next
		return updateHead(ctx, tx, next)
	})
	return out, err
}

// Retire takes a question out of future papers; retiring twice is a no-op.
func (b *bank) Retire(ctx context.Context, id string) (question, error) {
	var out question
	err := b.db.WithTx(ctx, func(tx *store.Tx) error {
		cur, err := getQuestion(ctx, tx, id, 0)
		if errors.Is(err, errNotFound) {
			return apierr.NotFound("question", id)
		}
		if err != nil {
			return err
		}
		if cur.State == retired {
			out = cur
			return nil
		}
		cur.State = retired
		cur.UpdateTime = b.clock()
		out = cur
		return updateHead(ctx, tx, cur)
	})
	return out, err
}
