package feedback

import (
	"context"

	"github.com/wenming/wenming/internal/apierr"
	"github.com/wenming/wenming/internal/store"
)

// ErrNoContactKey is why a rating with a contact is refused when the server
// has no secret key: the contact could only be stored in the clear.
var ErrNoContactKey = apierr.FailedPrecondition(apierr.NoSecretKey,
	"this server has no secret key configured, so it cannot store a contact; "+
		"leave contact empty, or ask the operator to set --secret-key / WENMING_SECRET_KEY")

// RatingForm is a target with the form in effect for it.
type RatingForm struct {
	Target Target
	Form   Form
}

// Form returns what the rating page of an active target shows.
func (s *Service) Form(ctx context.Context, targetID string) (RatingForm, error) {
	return s.ratingForm(ctx, s.db.R, targetID)
}

// ratingForm reads a target that takes ratings and the form in effect
// for it.
func (s *Service) ratingForm(ctx context.Context, q store.Queryer, targetID string) (RatingForm, error) {
	t, err := s.GetTarget(ctx, q, targetID)
	if err != nil {
		return RatingForm{}, err
	}
	if !t.Active {
		return RatingForm{}, apierr.FailedPrecondition(apierr.TargetInactive, "target %s is deactivated and takes no ratings", t.ID)
	}
	f, err := s.FormFor(ctx, q, t)
	return RatingForm{Target: t, Form: f}, err
}

// Submitted is what SubmitRating reports back.
type Submitted struct {
	Rating Rating
	// Case is set when the rating opened one.
	Case *Case
}

// Submit records a normalized and validated rating inside tx, updating
// the daily aggregates and opening a case for a bad review: the same write
// as SubmitRating's, in the caller's transaction.
func (s *Service) Submit(ctx context.Context, tx *store.Tx, in RatingInput) (Submitted, error) {
	j, err := s.prepare(in)
	if err != nil {
		return Submitted{}, err
	}
	_, errs, err := s.applyRatings(ctx, tx, []*ratingJob{j})
	if err != nil {
		return Submitted{}, err
	}
	return j.out, errs[0]
}

// contactOf decrypts a sealed contact for someone allowed to read it. A
// contact sealed under another key (the secret was changed) reads as a
// note saying so rather than failing the whole case.
func (s *Service) contactOf(ratingID string, box []byte) string {
	if len(box) == 0 {
		return ""
	}
	if s.contacts == nil {
		return "[encrypted; this server has no secret key]"
	}
	c, err := s.contacts.open(ratingID, box)
	if err != nil {
		return "[encrypted under another secret key]"
	}
	return c
}

// Rate normalizes, validates and submits one rating in its own
// transaction: the path for the demo loader and scripted tests.
func (s *Service) Rate(ctx context.Context, in RatingInput) (Submitted, error) {
	in.Normalize()
	var v apierr.Violations
	in.Validate(&v)
	if err := v.Err(); err != nil {
		return Submitted{}, err
	}
	var out Submitted
	err := s.db.WithTx(ctx, func(tx *store.Tx) error {
		var err error
		out, err = s.Submit(ctx, tx, in)
		return err
	})
	return out, err
}
