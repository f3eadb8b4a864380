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

// Bank is the question bank.
type Bank struct {
	db  *store.DB
	now func() time.Time
}

// NewBank returns the question bank over db with the given clock.
func NewBank(db *store.DB, now func() time.Time) *Bank { return &Bank{db: db, now: now} }

func (b *Bank) clock() time.Time { return store.Stamp(b.now()) }

// newQuestion builds version 1 of a question from validated content,
// created at t.
func newQuestion(c Content, t time.Time) (Question, error) {
	id, err := uuid.NewV7()
	if err != nil {
		return Question{}, err
	}
	return Question{ID: id.String(), Version: 1, Content: c, State: Active, CreateTime: t, UpdateTime: t}, nil
}

// Create adds a validated question inside tx.
func (b *Bank) Create(ctx context.Context, tx *store.Tx, c Content) (Question, error) {
	q, err := newQuestion(c, b.clock())
	if err != nil {
		return Question{}, err
	}
	if err := insertQuestions(ctx, tx, []Question{q}); err != nil {
		return Question{}, err
	}
	return q, nil
}

// Get returns the current version of a question, or the given version.
func (b *Bank) Get(ctx context.Context, id string, version int) (Question, error) {
	q, err := getQuestion(ctx, b.db.R, id, version)
	if errors.Is(err, errNotFound) {
		if version != 0 {
			return Question{}, apierr.NotFound("question version", id+"@"+strconv.Itoa(version))
		}
		return Question{}, apierr.NotFound("question", id)
	}
	return q, err
}

// List returns up to limit questions after the given id, newest first.
func (b *Bank) List(ctx context.Context, f QuestionFilter, after string, limit int) ([]Question, error) {
	return listQuestions(ctx, b.db.R, f, after, limit)
}

// Update replaces a question's content. If an attempt has been shown the
// current version, the content goes into a new version; otherwise the
// current version is rewritten, since nobody has seen it.
func (b *Bank) Update(ctx context.Context, id string, c Content) (Question, error) {
	var out Question
	err := b.db.WithTx(ctx, func(tx *store.Tx) error {
		cur, used, err := getQuestionUsed(ctx, tx, id, 0)
		if errors.Is(err, errNotFound) {
			return apierr.NotFound("question", id)
		}
		if err != nil {
			return err
		}
		if cur.State == Retired {
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
func (b *Bank) Retire(ctx context.Context, id string) (Question, error) {
	var out Question
	err := b.db.WithTx(ctx, func(tx *store.Tx) error {
		cur, err := getQuestion(ctx, tx, id, 0)
		if errors.Is(err, errNotFound) {
			return apierr.NotFound("question", id)
		}
		if err != nil {
			return err
		}
		if cur.State == Retired {
			out = cur
			return nil
		}
		cur.State = Retired
		cur.UpdateTime = b.clock()
		out = cur
		return updateHead(ctx, tx, cur)
	})
	return out, err
}
